import { ApiKeyWithSecretSchema, KeyRollParamsSchema } from "@tranche/shared";
import type { App } from "../../env";
import { newApiKey, withSecret } from "../../lib/api-keys";
import { notFound } from "../../lib/errors";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { ownedKey, roll } from "../storage";
import { KeyPathSchema, keyState, TAG } from "./path";

const route = apiRoute({
  method: "post",
  path: "/v1/keys/{id}/roll",
  operationId: "rollKey",
  tags: [TAG],
  summary: "Roll an API key",
  description:
    "Replaces the key with a new one of the same type, name and scopes, shown in this answer only. The old key " +
    "keeps working for `expires_in` seconds (0 to 7 days; default 0, at once, as Stripe's default) and is refused " +
    "from then on. A key is rolled once: roll its successor next. A revoked key cannot be rolled. Rolling the " +
    "key you call with is allowed: its successor is in the answer. Secret keys only.",
  request: {
    params: KeyPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(KeyRollParamsSchema, "How long the old key keeps working."),
  },
  responses: { 201: jsonResponse(ApiKeyWithSecretSchema, "The new key, with its secret (shown once).") },
  problems: ["invalid_state"],
});

export function registerRollKey(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { expires_in } = c.req.valid("json");
    const { merchantId, livemode } = c.get("auth");
    const old = await ownedKey(c.env.DB, { merchantId, mode: livemode ? "live" : "test" }, id);
    if (!old) throw notFound("API key", id);
    const now = Date.now();
    const { name, scopes } = old;
    const kind = old.type === "restricted" ? { type: old.type, name, scopes: scopes ?? [] } : { type: old.type, name };
    const issued = await newApiKey(merchantId, old.mode, new Date(now).toISOString(), kind);
    const expiresAt = new Date(now + expires_in * 1000).toISOString();
    if (!(await roll(c.env.DB, old, issued.row, expiresAt))) {
      throw keyState(`The API key '${id}' is revoked or was already rolled: roll its successor, or create a new key.`);
    }
    return c.json(withSecret(issued), 201);
  });
}
