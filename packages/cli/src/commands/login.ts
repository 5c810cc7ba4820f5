import { createInterface } from "node:readline/promises";
import { Tranche } from "@tranche/sdk";
import type { Command } from "commander";
import { type GlobalOptions, maskKey, resolveBaseUrl } from "../config/credentials";
import { configPath, readConfig, updateProfile } from "../config/store";
import { print } from "../context";

export function registerLogin(program: Command): void {
  program
    .command("login")
    .summary("store a secret key for a base URL (0600 file)")
    .description(
      "Store a secret key for a base URL (--base-url, default http://localhost:8787) in your config directory, " +
        "readable by you only (mode 0600). The key is checked against the API first, and asked for on stdin " +
        "unless --api-key or TRANCHE_API_KEY gives it. It becomes the default base URL.",
    )
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<GlobalOptions>();
      const path = configPath();
      const baseUrl = resolveBaseUrl(opts, readConfig(path));
      const apiKey = opts.apiKey ?? process.env.TRANCHE_API_KEY ?? (await ask(`Secret key for ${baseUrl}: `));
      // Any authenticated call will do: a wrong key or URL fails here, not in the next command.
      await new Tranche(apiKey, { baseUrl }).customers.list({ limit: 1 });
      updateProfile(path, baseUrl, { api_key: apiKey }, true);
      print(
        { json: Boolean(opts.json) },
        { base_url: baseUrl, api_key: maskKey(apiKey), config: path },
        () => `Logged in to ${baseUrl} with ${maskKey(apiKey)}; saved to ${path} (mode 0600).`,
      );
    });
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
