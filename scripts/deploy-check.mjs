#!/usr/bin/env node
// `pnpm test:deploy` (part of `pnpm test`): every environment in wrangler.toml builds as
// `wrangler deploy` would build it (`--dry-run`: no account needed), its bundle is within the gzip
// budget, and its configuration holds together where wrangler cannot tell (see `problems`).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { root } from "./bench-wrangler.mjs";
import { bundleSize, dryRun, GZIP_BUDGET, kib } from "./worker-bundle.mjs";

const ENVIRONMENTS = ["", "staging", "production"];

/** What wrangler accepts but this Worker would get wrong. */
function problems(environment) {
  const config = unstable_readConfig({ config: join(root, "wrangler.toml"), env: environment || undefined });
  const found = [];
  const period = config.vars.RATE_LIMIT_PERIOD_SECONDS;
  for (const name of ["RATE_LIMIT_TEST", "RATE_LIMIT_LIVE", "RATE_LIMIT_UNKNOWN_KEYS"]) {
    const binding = config.ratelimits.find((r) => r.name === name);
    if (!binding) found.push(`no ${name} rate-limit binding`);
    // A 429's Retry-After is this variable: shorter than the binding's period, clients retry too soon.
    else if (String(binding.simple.period) !== period) {
      found.push(`${name} has period ${binding.simple.period} but RATE_LIMIT_PERIOD_SECONDS is ${period}`);
    }
  }
  const consumers = config.queues.consumers ?? [];
  const parking = new Set(consumers.map((c) => c.dead_letter_queue).filter(Boolean));
  for (const consumer of consumers) {
    // A dead-letter queue's own consumer is the last lane: after it, `recover` delivers from D1.
    if (!consumer.dead_letter_queue && !parking.has(consumer.queue)) {
      found.push(`queue ${consumer.queue} has no dead-letter queue`);
    }
  }
  for (const queue of parking) {
    if (!consumers.some((c) => c.queue === queue)) found.push(`dead-letter queue ${queue} has no consumer`);
  }
  // src/index.ts runs the sweep on this cron (SWEEP_CRON) and the monitor on any other.
  const crons = config.triggers.crons ?? [];
  if (!crons.includes("*/15 * * * *")) found.push("no */15 cron: the sweep would never run");
  if (crons.length < 2) found.push("no second cron: the alert monitor would never run");
  if (environment === "production" && config.vars.ANALYTICS_BACKEND !== "engine") {
    found.push("production must write analytics to Analytics Engine (ANALYTICS_BACKEND = engine)");
  }
  if (environment === "production" && config.vars.LIVE_PROCESSOR === "simulator") {
    found.push("production must not take live payments on the simulator");
  }
  // A test and local-development knob (src/processor/latent.ts): no deployment waits on purpose.
  if (config.vars.PROCESSOR_LATENCY_MS !== undefined) found.push("PROCESSOR_LATENCY_MS is for tests and pnpm dev only");
  return found;
}

const outRoot = mkdtempSync(join(tmpdir(), "tranche-deploy-check-"));
let failed = false;
try {
  for (const environment of ENVIRONMENTS) {
    const label = environment || "top level (development)";
    const outdir = join(outRoot, environment || "top");
    await dryRun(environment, outdir);
    const size = bundleSize(outdir);
    const found = problems(environment);
    if (size.gzip > GZIP_BUDGET) found.push(`bundle is ${kib(size.gzip)} gzip, over the ${kib(GZIP_BUDGET)} budget`);
    console.log(`deploy-check: ${label}: dry run ok, ${kib(size.raw)} (${kib(size.gzip)} gzip)`);
    for (const p of found) console.error(`deploy-check: ${label}: ${p}`);
    failed ||= found.length > 0;
  }
} catch (error) {
  console.error(`deploy-check: ${error.message}`);
  failed = true;
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
if (failed) process.exit(1);
