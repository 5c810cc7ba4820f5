import { Tranche } from "@tranche/sdk";
import type { Command } from "commander";
import { type GlobalOptions, resolveCredentials } from "./config/credentials";

/** What a command runs with: the resolved key and base URL, a client, and how to print. */
export function contextOf(command: Command) {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const credentials = resolveCredentials(opts);
  return {
    ...credentials,
    json: Boolean(opts.json),
    tranche: new Tranche(credentials.apiKey, { baseUrl: credentials.baseUrl }),
  };
}

export type Context = ReturnType<typeof contextOf>;

/** Prints a result: as JSON with --json, else as the human lines `human` makes. */
export function print(ctx: { json: boolean }, value: unknown, human: () => string): void {
  process.stdout.write(`${ctx.json ? JSON.stringify(value, null, 2) : human()}\n`);
}
