import { ApiKeyWithSecretSchema, KeyCreateParamsSchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../../db/schema";
import type { App } from "../../env";
import { newApiKey, withSecret } from "../../lib/api-keys";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { TAG } from "./path";

const route = apiRoute({
  method: "post",
  path: "/v1/keys",
  operationId: "createKey",
  tags: [TAG],
  summary: "Create an API key",
  description:
    "A restricted key (`rk_test_…`/`rk_live_…`) that can only read what its scopes allow, for a dashboard or a BI " +
    "tool, or another secret key; of the calling key's mode. The key is shown in this answer only. Secret keys only.",
  request: { headers: IdempotencyHeaders, body: jsonBody(KeyCreateParamsSchema, "The key's type, name and scopes.") },
  responses: { 201: jsonResponse(ApiKeyWithSecretSchema, "The key, with its secret (shown once).") },
});

export function registerCreateKey(app: App) {
  app.openapi(route, async (c) => {
    const { merchantId, livemode } = c.get("auth");
    const issued = await newApiKey(
      merchantId,
      livemode ? "live" : "test",
      new Date().toISOString(),
      c.req.valid("json"),
    );
    await drizzle(c.env.DB).insert(apiKeys).values(issued.row);
    return c.json(withSecret(issued), 201);
  });
}
