import { type Logger, logger } from "./lib/log";
import { shards } from "./shards";

/** Customers visited per page, all at once: bounded so one sweep never floods the objects. */
const PAGE = 50;

/** The sweep's cron in wrangler.toml; index.ts runs the monitor on any other (the minutely one). */
export const SWEEP_CRON = "*/15 * * * *";

export interface SweepReport {
  customers: number;
  reprojected: number;
  failed: number;
}

/**
 * The scheduled self-repair: visits every customer of every read-model shard and has its object
 * re-project whatever its shard lacks and re-arm its alarm. Idempotent, so overlapping or repeated
 * runs are harmless. A customer whose very first projection never landed is in no shard yet; its
 * own alarm, armed in the same transaction as its creation, retries that projection. A customer
 * found in a shard its merchant has left (a move not yet cleaned up) is visited like any other:
 * its object compares with the shard the directory names.
 */
export async function sweep(env: Env, log: Logger = logger): Promise<SweepReport> {
  const report: SweepReport = { customers: 0, reprojected: 0, failed: 0 };
  for (const db of shards(env)) await sweepShard(env, db, report);
  log[report.failed ? "warn" : "info"]("sweep", { ...report });
  return report;
}

async function sweepShard(env: Env, db: D1Database, report: SweepReport): Promise<void> {
  let after = "";
  for (;;) {
    const { results } = await db
      .prepare("SELECT id, merchant_id FROM customers WHERE id > ? ORDER BY id LIMIT ?")
      .bind(after, PAGE)
      .all<{ id: string; merchant_id: string }>();
    if (results.length === 0) break;
    const visits = await Promise.allSettled(
      results.map((c) => env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${c.merchant_id}:${c.id}`)).repair()),
    );
    for (const visit of visits) {
      if (visit.status === "fulfilled") report.reprojected += visit.value.reprojected;
      else report.failed++;
    }
    report.customers += results.length;
    after = results.at(-1)?.id ?? after;
  }
}
