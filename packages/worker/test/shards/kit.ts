import { env } from "cloudflare:test";
import type { MerchantWithKey } from "@tranche/shared";
import { shardOf } from "../../src/shards";
import { createMerchant } from "../helpers";

/** New merchants until one has landed on each of the first two shards (the hash spreads them evenly). */
export async function merchantOnEachShard(): Promise<[MerchantWithKey, MerchantWithKey]> {
  const found: (MerchantWithKey | undefined)[] = [undefined, undefined];
  for (let tries = 0; tries < 40 && !(found[0] && found[1]); tries++) {
    const merchant = await createMerchant();
    found[await shardOf(env, merchant.id)] ??= merchant;
  }
  const [first, second] = found;
  if (!first || !second) throw new Error("40 new merchants all landed on one shard");
  return [first, second];
}

/** The merchant's rows in every table with a merchant_id of one shard, by table, the empty ones left out. */
export async function rowsIn(db: D1Database, merchantId: string): Promise<Record<string, number>> {
  const { results } = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%merchant_id%'")
    .all<{ name: string }>();
  const counts = await db.batch<{ n: number }>(
    results.map((t) => db.prepare(`SELECT COUNT(*) AS n FROM "${t.name}" WHERE merchant_id = ?`).bind(merchantId)),
  );
  return Object.fromEntries(
    results.flatMap((t, i) => {
      const n = counts[i]?.results[0]?.n ?? 0;
      return n > 0 ? [[t.name, n]] : [];
    }),
  );
}
