import { env } from "cloudflare:test";
import { readModel, shards } from "../src/shards";

/** The read-model shard holding the merchant's rows, as the Worker routes to it (src/shards/). */
export const readModelDb = (merchantId: string): Promise<D1Database> => readModel(env, merchantId);

/**
 * A query's rows from every read-model shard, for a test that knows a customer or a purchase but
 * not its merchant: ids are unique, so at most one shard has any.
 */
export async function fromEveryShard<T>(query: string, ...values: unknown[]): Promise<T[]> {
  const pages = await Promise.all(
    shards(env).map((db) =>
      db
        .prepare(query)
        .bind(...values)
        .all<T>(),
    ),
  );
  return pages.flatMap((page) => page.results);
}

/** `SELECT COUNT(*) AS n …` summed over every read-model shard. */
export async function countInEveryShard(query: string, ...values: unknown[]): Promise<number> {
  const rows = await fromEveryShard<{ n: number }>(query, ...values);
  return rows.reduce((sum, row) => sum + row.n, 0);
}

/** Every read-model shard's binding, replaced by `db`: an env override for a test's outage. */
export const everyShardAs = (db: D1Database): Record<string, D1Database> =>
  Object.fromEntries(shards(env).map((_, i) => [`READ_MODEL_${i}`, db]));
