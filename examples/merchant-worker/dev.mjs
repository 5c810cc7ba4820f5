#!/usr/bin/env node
// `pnpm --filter merchant-worker dev [-- wrangler flags]`: the shop on wrangler dev (port 8788),
// calling the Tranche at TRANCHE_URL (default http://localhost:8787, the root's `pnpm dev`) with
// TRANCHE_API_KEY (default the demo merchant's key that `pnpm dev` keeps in .wrangler/). The
// address is explicit: the TRANCHE service binding would reach whichever `tranche` Worker
// wrangler's machine-wide dev registry knows, another checkout's `pnpm dev` included.
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
const url = process.env.TRANCHE_URL ?? "http://localhost:8787";
const vars = ["--var", `TRANCHE_API_KEY:${key}`, "--var", `TRANCHE_URL:${url}`];
const child = spawn("wrangler", ["dev", ...vars, ...args], {
  stdio: "inherit",
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
