#!/usr/bin/env node
// `pnpm test`: every check the repository has, two at a time, then a table of how long each took.
// A step's output is printed whole when it ends (never interleaved); the first step that fails stops
// the others, and its output is the last thing printed above the table. `pnpm test:soak` runs the same
// steps with TEST_SOAK=1: the property and fuzz suites at their long sizes (packages/shared/test/runs.ts).
//
// To add a step, add a line to STEPS. They start in the order listed as slots free up: the longest
// first, so the short ones fill the other slot beside it. `TEST_JOBS=<n>` changes the number of slots.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** name: what the table calls it; run: a shell command from the repository's root. */
const STEPS = [
  // The longest: the Worker in workerd, two runtimes of its own (packages/worker/vitest.config.ts).
  { name: "worker tests", run: "pnpm test:worker" },
  { name: "lint (Biome)", run: "pnpm lint" },
  { name: "typecheck", run: "pnpm typecheck" },
  { name: "sdk: against the Worker", run: "pnpm --filter @tranche/sdk test:api" },
  // The built CLI against `wrangler dev` (packages/cli/test/e2e): listen, trigger of every type, login.
  { name: "cli: end to end", run: "pnpm --filter @tranche/cli test:e2e" },
  { name: "cli: unit tests", run: "pnpm --filter @tranche/cli test" },
  { name: "shared tests", run: "pnpm test:unit" },
  { name: "sdk: node tests", run: "pnpm --filter @tranche/sdk test:node" },
  { name: "sdk: generated files", run: "pnpm --filter @tranche/sdk test:generated" },
  { name: "openapi lint", run: "pnpm test:openapi" },
  { name: "deploy dry-runs", run: "pnpm test:deploy" },
  { name: "import cycles", run: "pnpm test:cycles" },
  { name: "docs name what exists", run: "pnpm test:docs" },
  { name: "file sizes", run: "pnpm test:size" },
];

const JOBS = Math.max(1, Number(process.env.TEST_JOBS) || 2);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs one step in its own process group (so a stop reaches its children); resolves when it exits. */
function start(step) {
  const began = Date.now();
  const child = spawn(step.run, { cwd: root, shell: true, detached: true, env: process.env });
  const output = [];
  child.stdout.on("data", (chunk) => output.push(chunk));
  child.stderr.on("data", (chunk) => output.push(chunk));
  const done = new Promise((resolve) => {
    child.on("close", (code, signal) => {
      resolve({ step, ok: code === 0, code: code ?? signal, ms: Date.now() - began, output: Buffer.concat(output) });
    });
  });
  return { child, done };
}

function stop(running) {
  for (const { child } of running.values()) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
}

/** One row per step, in STEPS order: its time, or why it has none; then the run's wall time. */
function table(results, totalMs, failed) {
  const rows = STEPS.map((step) => {
    const r = results.find((x) => x.step === step);
    if (!r) return [step.name, "not started"];
    if (r.ok) return [step.name, seconds(r.ms)];
    return [step.name, r === failed ? `${seconds(r.ms)}  FAILED` : "stopped"];
  });
  rows.push(["total (wall)", seconds(totalMs)]);
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${"step".padEnd(width)}  time`);
  for (const [name, time] of rows) console.log(`${name.padEnd(width)}  ${time}`);
}

async function main() {
  const began = Date.now();
  const queue = [...STEPS];
  const running = new Map();
  const results = [];
  let failed;
  // The steps run in process groups of their own, which a Ctrl-C in the terminal does not reach.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      stop(running);
      process.exit(130);
    });
  }
  while (queue.length || running.size) {
    while (!failed && queue.length && running.size < JOBS) {
      const step = queue.shift();
      running.set(step.name, start(step));
    }
    if (!running.size) break;
    const result = await Promise.race([...running.values()].map((r) => r.done));
    running.delete(result.step.name);
    results.push(result);
    if (result.ok) {
      process.stdout.write(result.output);
      console.log(`\n✓ ${result.step.name} (${seconds(result.ms)})\n`);
    } else if (!failed) {
      failed = result;
      stop(running);
    }
  }
  if (failed) {
    // Steps stopped because of the failure end as failures too; only the first one's output is the cause.
    process.stdout.write(failed.output);
    console.log(`\n✗ ${failed.step.name} failed (${failed.code}): ${failed.step.run}`);
  }
  table(results, Date.now() - began, failed);
  process.exitCode = failed ? 1 : 0;
}

await main();
