import { generateWebhookSecret } from "@tranche/shared/webhooks/signature";
import type { Command } from "commander";
import { maskKey } from "../config/credentials";
import { updateProfile } from "../config/store";
import { contextOf } from "../context";
import { forward, forwardedLine } from "../listen/forward";
import { readStream } from "../listen/stream";

export function registerListen(program: Command): void {
  program
    .command("listen")
    .summary("forward your events to a local URL, signed")
    .description(
      "Receive your events as they happen (GET /v1/events/stream) and forward each to a local URL, signed per " +
        "Standard Webhooks with the secret printed at start, so your receiver verifies them as real deliveries. " +
        "One line per event with the receiver's status and latency; a receiver that is down is reported and " +
        "the next event is still forwarded. Ctrl-C stops.",
    )
    .requiredOption("--forward-to <url>", "where to POST each event, e.g. http://localhost:3000/webhooks")
    .option("--events <types>", "comma-separated event types to forward (default: all)")
    .action(async (opts: { forwardTo: string; events?: string }, command: Command) => {
      const ctx = contextOf(command);
      // One secret per base URL, kept with the key: the receiver's configuration survives a restart.
      const secret = ctx.config.profiles[ctx.baseUrl]?.listen_secret ?? generateWebhookSecret();
      updateProfile(ctx.configPath, ctx.baseUrl, { listen_secret: secret });
      const say = (line: unknown) =>
        process.stdout.write(`${typeof line === "string" && !ctx.json ? line : JSON.stringify(line)}\n`);
      say(
        ctx.json
          ? { listening: ctx.baseUrl, forward_to: opts.forwardTo, secret }
          : `Forwarding events of ${ctx.baseUrl} (${maskKey(ctx.apiKey)}) to ${opts.forwardTo}\n` +
              `Webhook signing secret: ${secret}`,
      );
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      process.once("SIGTERM", () => stop.abort());
      await readStream(
        {
          baseUrl: ctx.baseUrl,
          apiKey: ctx.apiKey,
          types: opts.events?.split(",").filter(Boolean),
          onEvent: async (event) => {
            const result = await forward(opts.forwardTo, event, secret);
            say(ctx.json ? result : forwardedLine(result));
          },
          onStatus: ({ connected, reason }) =>
            say(
              ctx.json
                ? { connected, reason }
                : connected
                  ? "Ready: listening for events."
                  : `Stream lost (${reason}); reconnecting…`,
            ),
        },
        stop.signal,
      );
    });
}
