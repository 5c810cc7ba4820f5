// The Worker as `wrangler deploy` would upload it, built offline with `--dry-run --outdir`: its size
// (gzip, as Cloudflare's limits count it) and its start-up time. Used by `pnpm test` (scripts/
// deploy-check.mjs: every environment builds, within budget) and `pnpm bench` (scripts/bench-bundle.mjs).
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { root } from "./bench-wrangler.mjs";

/** The budget: a quarter of the paid plan's 10 MB limit and a third of the free plan's 3 MB, after gzip. */
export const GZIP_BUDGET = 1024 * 1024;

const run = promisify(execFile);
const wrangler = join(root, "node_modules/.bin/wrangler");

/**
 * `wrangler deploy --dry-run` for one environment ("" is the top level), written to `outdir`.
 * Rejects with wrangler's output if it fails, so a broken environment fails the caller.
 */
export async function dryRun(environment, outdir) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
  const args = ["deploy", "--dry-run", `--env=${environment}`, "--outdir", outdir];
  try {
    const { stdout } = await run(wrangler, args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throw new Error(`wrangler ${args.join(" ")} failed:\n${error.stdout ?? ""}${error.stderr ?? error.message}`);
  }
}

/** The uploaded modules' bytes, raw and gzipped (level 6, as wrangler reports it); source maps are not uploaded. */
export function bundleSize(outdir) {
  const modules = readdirSync(outdir).filter((f) => !f.endsWith(".map") && f !== "README.md");
  let raw = 0;
  let gzip = 0;
  for (const file of modules) {
    const bytes = readFileSync(join(outdir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { modules, raw, gzip };
}

/**
 * Start-up time: what Cloudflare measures at deploy is parsing and running the Worker's top-level
 * code. workerd cannot time that from inside (its clock stands still while code runs), so each run
 * imports the bundle in a fresh Node process (V8, the same engine) and times the import: reading,
 * parsing, compiling and evaluating every module's top level, `createApp()` and its routes included.
 * `cloudflare:workers` does not exist in Node; a stand-in DurableObject class replaces it. The median
 * of `runs` fresh processes.
 */
export async function startupMs(outdir, runs = 5) {
  const stub = "data:text/javascript,export class DurableObject{constructor(ctx,env){this.ctx=ctx;this.env=env}}";
  const entry = join(outdir, "startup-probe.mjs");
  writeFileSync(entry, readFileSync(join(outdir, "index.js"), "utf8").replaceAll('"cloudflare:workers"', `"${stub}"`));
  const probe = `const t=performance.now();await import(${JSON.stringify(entry)});console.log(performance.now()-t)`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe]);
    times.push(Number(stdout.trim()));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1) };
}

export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
