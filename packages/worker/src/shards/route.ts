import type { App } from "../env";
import { ApiError, notFound } from "../lib/errors";
import { moveMerchant } from "./move";

/**
 * `POST /v1/admin/merchants/{id}/move_shard {"shard": n}` (ADMIN_TOKEN): moves a merchant's read
 * model to shard n (move.ts) and answers what it did. An operator's maintenance route, outside the
 * public API's OpenAPI document like the bench's; docs/deploy.md says when and how to use it.
 */
export function registerMoveShard(app: App) {
  app.post("/v1/admin/merchants/:id/move_shard", async (c) => {
    const id = c.req.param("id");
    const body = await c.req.json<{ shard?: unknown }>().catch(() => ({}) as { shard?: unknown });
    const shard = body.shard;
    if (typeof shard !== "number" || !Number.isInteger(shard) || shard < 0) {
      throw new ApiError("validation_error", 'Send the shard to move to: `{"shard": n}`, n from 0.');
    }
    const merchant = await c.env.DB.prepare("SELECT id FROM merchants WHERE id = ?").bind(id).first();
    if (!merchant) throw notFound("merchant", id);
    const report = await moveMerchant(c.env, id, shard).catch((error) => {
      if (error instanceof RangeError) throw new ApiError("validation_error", error.message);
      throw error;
    });
    return c.json(report, 200);
  });
}
