import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { Reporter } from "vitest/reporters";
import { queueConsumers } from "./test/queue-config.ts";
import { lowRateLimits } from "./test/rate-limit-config.ts";
import { TEST_SECRETS_KEY } from "./test/secrets-key.ts";

/** Prints the contract fuzz's annotations (requests per operation, the seed) once the run ends. */
function contractFuzzSummary(): Reporter {
  const lines: string[] = [];
  return {
    onTestCaseAnnotate(_test, annotation) {
      if (annotation.type === "contract fuzz") lines.push(annotation.message);
    },
    onTestRunEnd() {
      if (lines.length) console.log(`\ncontract fuzz, requests per operation:\n  ${lines.sort().join("\n  ")}\n`);
    },
  };
}

const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url).href));

const bindings = {
  TEST_MIGRATIONS: migrations,
  ADMIN_TOKEN: "test-admin-token",
  // What secrets are sealed with at rest (src/secrets); test/secrets unsets and rotates it.
  SECRETS_KEY: TEST_SECRETS_KEY,
  // Not the defaults (3, 7), so the tests show the configured policy is the one in force. A hold
  // period longer than the simulator's 7-day holds lets a capture come after its hold lapsed.
  COLLECTIONS_POLICY: JSON.stringify({ reminder_lead_days: 2, hold_days: 10 }),
  // Live keys work in the tests, on simulated cards; test/livemode.test.ts unsets it.
  LIVE_PROCESSOR: "simulator",
  // As `pnpm dev` sets it: webhook endpoints may be plain http to localhost (local receivers).
  WEBHOOK_ALLOW_HTTP: "true",
  // test/contract's fuzz: FUZZ_SEED=<seed> reproduces a run, FUZZ_RUNS=<n> sets its size.
  FUZZ_SEED: process.env.FUZZ_SEED ?? "",
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
};

const RATE_LIMIT_TESTS = "test/**/rate-limit.test.ts";
// Run on a processor that takes time to answer (src/processor/latent.ts), so commands and alarms
// interleave with charges in flight: the concurrency suite only there, fault injection there too.
// test/customer-operations.test.ts joins them once a due charge cannot run twice at once (issue 18,
// item 3): on this processor today a checkout on real time has its first installment booked twice
// (the checkout's charge and the alarm it arms both run it), and its tests check out on real time.
const LATENT_ONLY_TESTS = ["test/concurrency/**/*.test.ts"];
const LATENT_TESTS = [...LATENT_ONLY_TESTS, "test/fault-injection.test.ts", "test/customer-operations.test.ts"];
// The sweep visits every customer in D1, so its tests want a database no other file has filled.
const WHOLE_DATABASE_TESTS = ["test/**/sweep.test.ts", "test/**/read-model.test.ts"];
const soak = Boolean(process.env.TEST_SOAK);
// Every project's: the setup file, and the property and fuzz sizes (../shared/test/runs.ts), whose
// long runs (`pnpm test:soak`) outlast the default 5 s timeout.
const common = {
  setupFiles: ["./test/apply-migrations.ts"],
  provide: { soak },
  ...(soak && { testTimeout: 30 * 60_000 }),
};
type MiniflareOptions = Extract<Parameters<typeof cloudflareTest>[0], { miniflare?: unknown }>["miniflare"];
const worker = (miniflare: MiniflareOptions) =>
  cloudflareTest({ wrangler: { configPath: "../../wrangler.toml" }, miniflare: { queueConsumers, ...miniflare } });

export default defineConfig({
  test: {
    // The Worker logs a JSON line per request; show logs only for failing tests.
    silent: "passed-only",
    // One runtime per pool worker, reused by the files it runs (isolate: false): starting workerd
    // and migrating D1 per file was most of the run. The files share D1 and the objects, so each
    // test scopes what it reads to merchants and customers of its own.
    maxWorkers: 2,
    projects: [
      {
        // Every suite on wrangler.toml's local rate limits, which many requests with one key never reach.
        plugins: [worker({ bindings })],
        test: {
          ...common,
          name: "worker",
          include: ["test/**/*.test.ts"],
          exclude: [RATE_LIMIT_TESTS, ...WHOLE_DATABASE_TESTS, ...LATENT_ONLY_TESTS],
          isolate: false,
        },
      },
      {
        plugins: [worker({ bindings })],
        test: { ...common, name: "whole-database", include: WHOLE_DATABASE_TESTS, isolate: false },
      },
      {
        plugins: [worker({ bindings: { ...bindings, PROCESSOR_LATENCY_MS: "0-12" } })],
        // Every processor call waits here, and fault injection makes hundreds: more than the default 5 s.
        test: { testTimeout: 20_000, ...common, name: "latent-processor", include: LATENT_TESTS, isolate: false },
      },
      {
        // The rate limiter's own tests, on limits low enough to reach in a few requests.
        plugins: [worker(lowRateLimits(bindings))],
        test: { ...common, name: "rate-limit", include: [RATE_LIMIT_TESTS] },
      },
    ],
    reporters: ["default", contractFuzzSummary()],
  },
});
