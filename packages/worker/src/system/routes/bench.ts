import type { App } from "../../env";
import { idempotencyShard } from "../../middleware/idempotency";
import { readModel } from "../../shards";

/**
 * Reference routes for `pnpm bench`, mounted ahead of every middleware and answering only
 * where BENCH_BARE_ROUTE is set (elsewhere they fall through to the 404).
 *
 * - `/__bench/bare`: the baseline, Hono with nothing behind it.
 * - `/__bench/floor`: the least any purchase can cost under this architecture, with none of
 *   the API around it: one write in a Durable Object's SQLite, then one write to D1. It puts
 *   the purchase figure in context: what the platform's two writes cost on this machine.
 * - `/__bench/floor-do`: the Durable Object write alone, the floor of a purchase whose answer
 *   does not wait for the read model.
 * - `/__bench/purchases/count?merchant=`: how many of a merchant's purchases the read model
 *   holds, polled by the bench to time the projection (an index-only count).
 */
export function registerBenchRoutes(app: App) {
  app.get("/__bench/bare", (c, next) => (c.env.BENCH_BARE_ROUTE ? c.text("ok") : next()));
  app.get("/__bench/floor", async (c, next) => {
    if (!c.env.BENCH_BARE_ROUTE) return next();
    const id = await oneObjectWrite(c.env);
    await c.env.DB.prepare(
      `INSERT INTO events (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at)
       VALUES (?, '__bench', 0, '__bench', 'bench.floor', NULL, '{}', ?)`,
    )
      .bind(id, new Date().toISOString())
      .run();
    return c.text("ok");
  });
  app.get("/__bench/floor-do", async (c, next) => {
    if (!c.env.BENCH_BARE_ROUTE) return next();
    await oneObjectWrite(c.env);
    return c.text("ok");
  });
  app.get("/__bench/purchases/count", async (c, next) => {
    if (!c.env.BENCH_BARE_ROUTE) return next();
    const merchantId = c.req.query("merchant") ?? "";
    const db = await readModel(c.env, merchantId);
    const row = await db
      .prepare("SELECT COUNT(*) AS n FROM purchases WHERE merchant_id = ?")
      .bind(merchantId)
      .first<{ n: number }>();
    return c.json({ count: row?.n ?? 0 });
  });
}

/** One row written in a Durable Object's SQLite (a fresh key claimed in an idempotency shard); returns its key. */
async function oneObjectWrite(env: Env): Promise<string> {
  const id = crypto.randomUUID();
  await idempotencyShard(env, "__bench", id).claim(id, "bench");
  return id;
}
