import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

const CLI = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

/** A user's environment: a config directory of its own, the Worker's URL, and (unless logging in) a key. */
export const envFor = (base: string, key?: string): Record<string, string> => ({
  TRANCHE_CONFIG_DIR: mkdtempSync(join(inject("home"), "config-")),
  TRANCHE_BASE_URL: base,
  ...(key && { TRANCHE_API_KEY: key }),
});

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
