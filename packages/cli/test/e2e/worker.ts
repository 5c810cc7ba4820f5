import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate, startWrangler } from "../../../../scripts/bench-wrangler.mjs";

const ADMIN_TOKEN = "e2e-admin-token";
const CLI = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

/** `wrangler dev` on a state folder of its own, as the benchmarks start it; `stop` removes the folder. */
export async function startWorker() {
  const persist = mkdtempSync(join(tmpdir(), "tranche-cli-e2e-"));
  await migrate(persist);
  const worker = await startWrangler(persist, { ADMIN_TOKEN, ANALYTICS_BACKEND: "local" });
  return {
    base: worker.base as string,
    stop: async () => {
      await worker.stop();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** A user's environment: a config directory of its own, the Worker's URL, and (unless logging in) a key. */
export const envFor = (base: string, key?: string): Record<string, string> => ({
  TRANCHE_CONFIG_DIR: mkdtempSync(join(tmpdir(), "tranche-cli-config-")),
  TRANCHE_BASE_URL: base,
  ...(key && { TRANCHE_API_KEY: key }),
});

/** A new merchant's test key. */
export async function merchantKey(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/merchants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "CLI e2e" }),
  });
  if (res.status !== 201) throw new Error(`creating a merchant: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret_key: string }).secret_key;
}

/** The built CLI, run to the end. */
export function tranche(args: string[], env: Record<string, string>, input = "") {
  const child = started(args, env);
  child.stdin.end(input);
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on("data", (c) => out.push(String(c)));
  child.stderr.on("data", (c) => err.push(String(c)));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout: out.join(""), stderr: err.join("") })),
  );
}

/** The built CLI, left running: its output as lines, and a way to wait for one. */
export function trancheRunning(args: string[], env: Record<string, string>) {
  const child = started(args, env);
  const lines: string[] = [];
  let partial = "";
  child.stdout.on("data", (chunk) => {
    const parts = (partial + String(chunk)).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr.on("data", (chunk) => process.stderr.write(chunk));
  return {
    lines,
    /** Waits until a line matches, and returns it. */
    async line(pattern: RegExp, after = 0): Promise<string> {
      for (let i = 0; i < 300; i++) {
        const found = lines.slice(after).find((l) => pattern.test(l));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no line matching ${pattern}; got:\n${lines.join("\n")}`);
    },
    stop: () => new Promise((resolve) => child.once("exit", resolve).kill("SIGINT")),
  };
}

function started(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
}
