import type { App } from "../../env";
import { idempotencyShard } from "../../middleware/idempotency";

/**
 * Reference routes for `pnpm bench`, mounted ahead of every middleware and answering only
 * where BENCH_BARE_ROUTE is set (elsewhere they fall through to the 404).
 *
 * - `/__bench/bare`: the baseline, Hono with nothing behind it.
 * - `/__bench/floor`: the least any purchase can cost under this architecture, with none of
 *   the API around it: one write in a Durable Object's SQLite, then one write to D1. It puts
 *   the purchase figure in context: what the platform's two writes cost on this machine.
 */
export function registerBenchRoutes(app: App) {
  app.get("/__bench/bare", (c, next) => (c.env.BENCH_BARE_ROUTE ? c.text("ok") : next()));
  app.get("/__bench/floor", async (c, next) => {
    if (!c.env.BENCH_BARE_ROUTE) return next();
    const id = crypto.randomUUID();
    await idempotencyShard(c.env, "__bench", id).claim(id, "bench");
    await c.env.DB.prepare(
      `INSERT INTO events (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at)
       VALUES (?, '__bench', 0, '__bench', 'bench.floor', NULL, '{}', ?)`,
    )
      .bind(id, new Date().toISOString())
      .run();
    return c.text("ok");
  });
}
