/**
 * The merchant → read-model shard routing, the one place that knows it. The read model (customers,
 * purchases, events, ledger, installments, rollups, receivables) lives in N D1 databases bound as
 * READ_MODEL_0 … READ_MODEL_<N-1>; the directory (DB) says which one holds a merchant, in
 * `merchant_shards`. A merchant is placed once, when created (`placeMerchant`), by a stable hash of
 * its id, so merchants spread evenly and a merchant with no directory row (created before sharding,
 * or written straight into the directory) routes to the same shard it would have been placed on.
 */
import { IsolateCache } from "../lib/isolate-cache";

/** A merchant's shard is read from the directory at most once a second per isolate. */
const cache = new IsolateCache<number>(1_000);

/** Every read-model shard, in order: READ_MODEL_0, READ_MODEL_1, … up to the first one unbound. */
export function shards(env: Env): D1Database[] {
  const bindings = env as unknown as Record<string, D1Database | undefined>;
  const all: D1Database[] = [];
  for (let db = bindings.READ_MODEL_0; db; db = bindings[`READ_MODEL_${all.length}`]) all.push(db);
  if (all.length === 0) throw new Error("no read-model shard is bound (READ_MODEL_0, READ_MODEL_1, …)");
  return all;
}

/** The shard a new merchant goes to: FNV-1a of its id, modulo the number of shards. */
export function placedShard(merchantId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < merchantId.length; i++) hash = Math.imul(hash ^ merchantId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % count;
}

/** A new merchant's row of the directory's `merchant_shards`, to insert with the merchant's own row. */
export const placement = (env: Env, merchantId: string) => ({
  merchantId,
  shard: placedShard(merchantId, shards(env).length),
});

/**
 * The index of the merchant's shard, from the cache or the directory. `fresh` skips the cache (a
 * move's re-projection must compare with the shard the directory names now).
 */
export async function shardOf(env: Env, merchantId: string, options: { fresh?: boolean } = {}): Promise<number> {
  const now = Date.now();
  const hit = options.fresh ? undefined : cache.get(merchantId, now);
  if (hit !== undefined) return hit;
  const count = shards(env).length;
  const row = await env.DB.prepare("SELECT shard FROM merchant_shards WHERE merchant_id = ?")
    .bind(merchantId)
    .first<{ shard: number }>();
  // A directory naming a shard this deployment no longer binds is a misconfiguration, not a place.
  if (row && row.shard >= count) throw new Error(`merchant ${merchantId} is on shard ${row.shard} of ${count}`);
  const shard = row ? row.shard : placedShard(merchantId, count);
  cache.set(merchantId, shard, now);
  return shard;
}

/** The D1 database holding the merchant's read model. */
export async function readModel(env: Env, merchantId: string, options: { fresh?: boolean } = {}): Promise<D1Database> {
  const all = shards(env);
  return all[await shardOf(env, merchantId, options)] as D1Database;
}

/** Points the merchant at another shard in the directory, and in this isolate's cache at once. */
export async function setShard(env: Env, merchantId: string, shard: number): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO merchant_shards (merchant_id, shard) VALUES (?, ?) ON CONFLICT (merchant_id) DO UPDATE SET shard = excluded.shard",
  )
    .bind(merchantId, shard)
    .run();
  cache.set(merchantId, shard, Date.now());
}
