// `pnpm bench:d1`: how many pay-in-4 purchases per second, over their whole lives, one D1 database
// absorbs through the projection queue's batched consumer, and what 2 and 4 databases (read-model
// shards) absorb together on this machine.
//
// Method: packages/worker/test/purchase-cost.test.ts records the projection messages of 100 pay-in-4
// purchases of one merchant (4 customers, 25 each): their creation, then their 3 charges and 3
// reminders; it publishes them on its metadata. The Worker scripts/bench-d1-worker.ts replays copies
// of them (new customer, purchase and event ids each time) through the real consumer, in queue
// batches of 100 messages, against 1, 2 or 4 local D1 databases with `WIDTH` consumer invocations in
// flight per database, and counts the purchases whose whole life was written.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { purchaseCostTests } from "./bench-costs.mjs";
import { migrate, root, startWrangler } from "./bench-wrangler.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WIDTH = Number(process.env.BENCH_D1_WIDTH ?? 4);
const SHARDS = [1, 2, 4];
/** The replay Worker's databases (scripts/bench-d1-worker.ts binds the same names). */
const SHARD_BINDINGS = ["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"];

interface Result {
  shards: number;
  width: number;
  purchases_per_s: number;
  batches_per_s: number;
  rows_per_purchase: number;
  bytes_per_purchase: number;
  retried: number;
}

console.log("bench:d1: recording 100 purchases' projection messages (test/purchase-cost.test.ts)…");
const tests = await purchaseCostTests("100 purchases");
const template = tests.find((t: { meta?: { projection?: unknown } }) => t.meta?.projection)?.meta.projection;
if (!template) throw new Error("test/purchase-cost.test.ts published no projection messages");

const persist = mkdtempSync(join(tmpdir(), "tranche-bench-d1-"));
const dir = mkdtempSync(join(tmpdir(), "tranche-bench-d1-worker-"));
const config = join(dir, "wrangler.toml");
writeFileSync(
  config,
  `name = "tranche-bench-d1"
main = "${join(root, "scripts/bench-d1-worker.ts")}"
compatibility_date = "2026-10-01"
compatibility_flags = ["nodejs_compat"]
${SHARD_BINDINGS.map(
  (binding, i) => `[[d1_databases]]
binding = "${binding}"
database_name = "bench-shard-${i}"
database_id = "00000000-0000-4000-8000-00000000010${i}"
migrations_dir = "${join(root, "packages/worker/migrations")}"
`,
).join("\n")}`,
);
await migrate(persist, SHARD_BINDINGS, ["--config", config]);

const replayer = await startWrangler(persist, {}, ["--config", config]);
const measure = async (shards: number, width: number): Promise<Result> => {
  const res = await fetch(`${replayer.base}/replay`, {
    method: "POST",
    body: JSON.stringify({ template, shards, width, seconds: SECONDS }),
  });
  if (!res.ok) throw new Error(`replay: ${res.status} ${await res.text()}`);
  return (await res.json()) as Result;
};
const results: Result[] = [await measure(1, 1)];
for (const shards of SHARDS) results.push(await measure(shards, WIDTH));
await replayer.stop();
rmSync(dir, { recursive: true, force: true });
rmSync(persist, { recursive: true, force: true });

console.log(`\nbench:d1: 100 pay-in-4 purchases' lives replayed through the consumer, ${SECONDS} s each, local D1\n`);
console.log(
  "| databases | consumer batches in flight per database | purchases/s (whole lives) | queue batches/s | D1 rows per purchase | bytes stored per purchase | retried |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  console.log(
    `| ${r.shards} | ${r.width} | ${r.purchases_per_s.toFixed(0)} | ${r.batches_per_s.toFixed(1)} | ${r.rows_per_purchase.toFixed(1)} | ${r.bytes_per_purchase.toFixed(0)} | ${r.retried} |`,
  );
}
