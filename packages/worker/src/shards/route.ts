import { ShardMoveParamsSchema, ShardMoveSchema } from "@tranche/shared";
import type { App } from "../env";
import { ApiError, notFound } from "../lib/errors";
import { MerchantPathSchema } from "../merchants/routes/create-key";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../routes/openapi-helpers";
import { apiRoute } from "../routes/problems";
import { moveMerchant } from "./move";

const route = apiRoute({
  method: "post",
  path: "/v1/admin/merchants/{id}/move_shard",
  operationId: "moveMerchantShard",
  tags: ["Admin"],
  summary: "Move a merchant to another read-model shard (admin)",
  description:
    "Operator action, with the ADMIN_TOKEN: points the directory at the shard, has every customer object of the " +
    "merchant re-project into it, then deletes the merchant's rows from the other shards. Idempotent: run it " +
    "again after a `failed` count to finish. A shard the deployment does not have is a 400 naming the shards it has. Lists and reports may lag for the move's length; commands never " +
    "wait for it. docs/deploy.md says when to move a merchant.",
  security: [{ AdminToken: [] }],
  request: {
    params: MerchantPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(ShardMoveParamsSchema, "The shard to move to."),
  },
  responses: { 200: jsonResponse(ShardMoveSchema, "What the move did.") },
});

export function registerMoveShard(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { shard } = c.req.valid("json");
    const merchant = await c.env.DB.prepare("SELECT id FROM merchants WHERE id = ?").bind(id).first();
    if (!merchant) throw notFound("merchant", id);
    const report = await moveMerchant(c.env, id, shard).catch((error) => {
      if (error instanceof RangeError) {
        throw new ApiError("validation_error", `Invalid body: shard: ${error.message}`, [
          { path: "shard", message: error.message },
        ]);
      }
      throw error;
    });
    return c.json(report, 200);
  });
}
