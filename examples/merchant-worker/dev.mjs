#!/usr/bin/env node
// `pnpm --filter merchant-worker dev [-- wrangler flags]`: the shop on wrangler dev (port 8788),
// with the demo merchant's key that the root's `pnpm dev` keeps in .wrangler/demo-merchant.json.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const demo = new URL("../../.wrangler/demo-merchant.json", import.meta.url);
const key = process.env.TRANCHE_API_KEY ?? (existsSync(demo) && JSON.parse(readFileSync(demo, "utf8")).secret_key);
if (!key) {
  console.error("merchant-worker: start `pnpm dev` at the repository root first (or set TRANCHE_API_KEY).");
  process.exit(1);
}
const args = process.argv.slice(2).filter((a) => a !== "--");
if (!args.includes("--port")) args.push("--port", "8788");
const child = spawn("wrangler", ["dev", "--var", `TRANCHE_API_KEY:${key}`, ...args], {
  stdio: "inherit",
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
