import type { ShardMove } from "@tranche/shared";
import { setShard, shardOf, shards } from ".";

/** Customers re-projected at once, as the sweep does: bounded so one move never floods the objects. */
const PAGE = 50;

/**
 * Tables a read-model shard holds empty (every database runs every migration) that belong to the
 * directory: never deleted from, so a shard bound by mistake to the directory loses nothing of it.
 */
const DIRECTORY_TABLES = new Set([
  "merchants",
  "api_keys",
  "merchant_shards",
  "webhook_endpoints",
  "analytics_local",
  "monitor_incidents",
]);

/**
 * Moves a merchant's read model to shard `to`: the directory is pointed at it first, so the
 * consumer writes there from now on (other isolates within their 1 s cache); then every customer
 * of the merchant found on another shard has its object compare itself with `to` (empty there, so
 * the object rewinds its marks and sends every object and row again: the projection is
 * idempotent); the webhook endpoints' own events, which no customer object holds, are copied; and
 * the merchant's rows are deleted from every other shard. Idempotent: running it again re-sends
 * nothing `to` has and deletes whatever a late write (a batch routed before the flip) left behind.
 */
export async function moveMerchant(env: Env, merchantId: string, to: number): Promise<ShardMove> {
  const all = shards(env);
  const target = all[to];
  if (!target) throw new RangeError(`there is no shard ${to}: shards are 0 to ${all.length - 1}`);
  const from = await shardOf(env, merchantId, { fresh: true });
  await setShard(env, merchantId, to);
  const report: ShardMove = { merchant: merchantId, from, to, customers: 0, failed: 0, deleted: 0 };
  const others = all.filter((db) => db !== target);
  for (const old of others) {
    await copyEndpointEvents(old, target, merchantId);
    await reprojectCustomers(env, old, merchantId, report);
  }
  // Only once every object has handed its rows to the queue: a reader meanwhile sees the old shard's.
  if (report.failed === 0) for (const old of others) report.deleted += await deleteMerchant(old, merchantId);
  return report;
}

async function reprojectCustomers(env: Env, db: D1Database, merchantId: string, report: ShardMove) {
  let after = "";
  for (;;) {
    const { results } = await db
      .prepare("SELECT id FROM customers WHERE merchant_id = ? AND id > ? ORDER BY id LIMIT ?")
      .bind(merchantId, after, PAGE)
      .all<{ id: string }>();
    if (results.length === 0) return;
    const visits = await Promise.allSettled(
      results.map((c) => env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchantId}:${c.id}`)).repair({ fresh: true })),
    );
    report.customers += results.length;
    report.failed += visits.filter((v) => v.status === "rejected").length;
    after = results.at(-1)?.id ?? after;
  }
}

/** The events about webhook endpoints (`customer_id` empty, src/webhooks/endpoint-object/registry.ts). */
async function copyEndpointEvents(from: D1Database, to: D1Database, merchantId: string): Promise<void> {
  const { results } = await from
    .prepare("SELECT * FROM events WHERE merchant_id = ? AND customer_id = ''")
    .bind(merchantId)
    .all<Record<string, unknown>>();
  const columns = Object.keys(results[0] ?? {});
  if (columns.length === 0) return;
  const insert = to.prepare(
    `INSERT OR IGNORE INTO events (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  await to.batch(results.map((row) => insert.bind(...columns.map((c) => row[c]))));
}

/** Deletes the merchant's rows from every read-model table of `db`; how many. */
async function deleteMerchant(db: D1Database, merchantId: string): Promise<number> {
  const { results } = await db
    // D1 refuses pragma functions, so the column is found in the tables' definitions.
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%merchant_id%'")
    .all<{ name: string }>();
  const tables = results.map((t) => t.name).filter((name) => !DIRECTORY_TABLES.has(name));
  const deleted = await db.batch(
    tables.map((table) => db.prepare(`DELETE FROM "${table}" WHERE merchant_id = ?`).bind(merchantId)),
  );
  return deleted.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
