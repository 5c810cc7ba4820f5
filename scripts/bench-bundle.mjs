#!/usr/bin/env node
// `pnpm bench:bundle` (also run by `pnpm bench`): the production Worker's bundle as `wrangler deploy`
// would upload it (`--dry-run --outdir`), its size after gzip against the budget, and its start-up
// time (how it is measured: startupMs in scripts/worker-bundle.mjs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./bench-wrangler.mjs";
import { bundleSize, dryRun, GZIP_BUDGET, kib, startupMs } from "./worker-bundle.mjs";

const outdir = mkdtempSync(join(tmpdir(), "tranche-bundle-"));
try {
  await dryRun("production", outdir);
  const size = bundleSize(outdir);
  const startup = await startupMs(outdir);
  console.log("\nbench:bundle: wrangler deploy --dry-run --env production --outdir, gzip -6\n");
  console.log("| bundle | raw | gzip | budget (gzip) | start-up, median of 5 (min–max) |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(
    `| ${size.modules.join(", ")} | ${kib(size.raw)} | ${kib(size.gzip)} | ${kib(GZIP_BUDGET)}: ` +
      `${size.gzip <= GZIP_BUDGET ? "within" : "OVER"} | ${startup.median.toFixed(0)} ms ` +
      `(${startup.min.toFixed(0)}–${startup.max.toFixed(0)}) |`,
  );
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/bundle.json"),
    JSON.stringify({ at: new Date().toISOString(), ...size, budget: GZIP_BUDGET, startup_ms: startup }, null, 2),
  );
  if (size.gzip > GZIP_BUDGET) process.exitCode = 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
