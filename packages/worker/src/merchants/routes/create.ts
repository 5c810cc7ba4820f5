import { MerchantCreateParamsSchema, type MerchantWithKey, MerchantWithKeySchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, merchantShards, merchants } from "../../db/schema";
import type { App } from "../../env";
import { newApiKey } from "../../lib/api-keys";
import { newId } from "../../lib/ids";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { placement } from "../../shards";

const route = apiRoute({
  method: "post",
  path: "/v1/merchants",
  operationId: "createMerchant",
  tags: ["Merchants"],
  summary: "Create a merchant (admin)",
  description:
    "Admin only: authenticate with the ADMIN_TOKEN secret. Returns the merchant and its test secret key, " +
    "which is shown this once. With no ADMIN_TOKEN set, this route does not exist.",
  security: [{ AdminToken: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(MerchantCreateParamsSchema, "The merchant.") },
  responses: {
    201: jsonResponse(MerchantWithKeySchema, "The merchant, with its test secret key (shown once)."),
  },
});

export function registerCreateMerchant(app: App) {
  app.openapi(route, async (c) => {
    const params = c.req.valid("json");
    const now = new Date().toISOString();
    const merchantId = newId("mer");
    const { secretKey, row } = await newApiKey(merchantId, "test", now);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.insert(merchants).values({ id: merchantId, name: params.name, email: params.email ?? null, createdAt: now }),
      db.insert(apiKeys).values(row),
      // Its read-model shard, in the same batch: a merchant never exists without its place.
      db.insert(merchantShards).values(placement(c.env, merchantId)),
    ]);
    const body: MerchantWithKey = {
      id: merchantId,
      object: "merchant",
      name: params.name,
      email: params.email ?? null,
      created_at: now,
      secret_key: secretKey,
    };
    return c.json(body, 201);
  });
}
