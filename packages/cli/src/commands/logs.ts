import type { RequestLine } from "@tranche/shared";
import type { Command } from "commander";
import { maskKey } from "../config/credentials";
import { contextOf } from "../context";
import { readSocket, socketUrl } from "../listen/stream";
import { formatLine, type LineFilter, matches, methods, statuses } from "../logs/lines";

export function registerLogs(program: Command): void {
  const logs = program.command("logs").description("your API requests");
  logs
    .command("tail")
    .description(
      "Show your API requests as they are answered (GET /v1/logs/stream), of your key's mode: time, method, path " +
        "(without its query string), status, latency and request id, one line each (--json: one object per line). " +
        "Requests made while no tail is attached are not kept. Ctrl-C stops.",
    )
    .option("--status <statuses>", "only these statuses, comma-separated: exact (404) or a class (4xx, 5xx)", statuses)
    .option("--method <methods>", "only these methods, comma-separated (GET,POST…)", methods)
    .option("--path-prefix <prefix>", "only paths that start with this, e.g. /v1/purchases")
    .action(async (filter: LineFilter, command: Command) => {
      const ctx = contextOf(command);
      const say = (line: unknown) =>
        process.stdout.write(`${typeof line === "string" && !ctx.json ? line : JSON.stringify(line)}\n`);
      if (!ctx.json) say(`Tailing requests of ${ctx.baseUrl} (${maskKey(ctx.apiKey)})`);
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      process.once("SIGTERM", () => stop.abort());
      await readSocket<RequestLine>(
        {
          apiKey: ctx.apiKey,
          url: () => socketUrl(ctx.baseUrl, "/v1/logs/stream"),
          onMessage: async (line) => {
            if (matches(filter, line)) say(ctx.json ? line : formatLine(line));
          },
          onStatus: ({ connected, reason }) =>
            say(
              ctx.json
                ? { connected, reason }
                : connected
                  ? "Ready: tailing requests."
                  : `Tail lost (${reason}); reconnecting…`,
            ),
        },
        stop.signal,
      );
    });
}
