import { existsSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { type GlobalOptions, resolveBaseUrl } from "../config/credentials";
import { configPath, readConfig } from "../config/store";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"]);

/** Whether a base URL is this machine's: the only place `reset` may wipe. */
export function isLocal(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return LOCAL_HOSTS.has(host) || host.endsWith(".localhost");
}

/** `pnpm dev`'s state folder: `.wrangler/state` beside the nearest wrangler.toml above the working directory. */
export function defaultStateDir(from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "wrangler.toml"))) return join(dir, ".wrangler", "state");
    if (dirname(dir) === dir) return undefined;
  }
}

export function registerReset(program: Command): void {
  program
    .command("reset")
    .summary("wipe the local pnpm dev state (local only)")
    .description(
      "Delete the local Worker's state (its D1 databases, Durable Objects and queues): the .wrangler/state folder " +
        "of the repository, or --persist-to. Refuses a base URL that is not local, and a Worker that still " +
        "answers there (stop `pnpm dev` first). Asks first, unless --yes; without a terminal it never asks.",
    )
    .option("--persist-to <dir>", "the state folder, as given to `pnpm dev -- --persist-to`")
    .option("--yes", "do not ask")
    .action(async (opts: { persistTo?: string; yes?: boolean }, command: Command) => {
      const baseUrl = resolveBaseUrl(command.optsWithGlobals<GlobalOptions>(), readConfig(configPath()));
      if (!isLocal(baseUrl)) command.error(`reset wipes local state only; ${baseUrl} is not local`, { exitCode: 2 });
      const state = opts.persistTo ? resolve(opts.persistTo) : defaultStateDir();
      if (!state) command.error("no wrangler.toml here or above: pass --persist-to", { exitCode: 2 });
      if (await answers(baseUrl)) {
        command.error(`the Worker at ${baseUrl} is running: stop \`pnpm dev\` first`, { exitCode: 1 });
      }
      if (!existsSync(state)) {
        process.stdout.write(`Nothing to reset: ${state} does not exist.\n`);
        return;
      }
      if (!opts.yes) {
        if (!process.stdin.isTTY) command.error("not a terminal: pass --yes to reset without asking", { exitCode: 2 });
        if (!(await confirm(`Delete ${state} (every local customer, purchase and event)? [y/N] `))) {
          process.stdout.write("Nothing deleted.\n");
          return;
        }
      }
      rmSync(state, { recursive: true, force: true });
      process.stdout.write(`Deleted ${state}. The next \`pnpm dev\` starts on empty databases.\n`);
    });
}

async function answers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
