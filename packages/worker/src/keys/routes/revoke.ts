import { ApiKeySchema } from "@tranche/shared";
import type { App } from "../../env";
import { toApiKey } from "../../lib/api-keys";
import { notFound } from "../../lib/errors";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { ownedKey, revoke } from "../storage";
import { KeyPathSchema, keyState, TAG } from "./path";

const route = apiRoute({
  method: "post",
  path: "/v1/keys/{id}/revoke",
  operationId: "revokeKey",
  tags: [TAG],
  summary: "Revoke an API key",
  description:
    "The key is refused everywhere within a second (each isolate reads a key again after at most a second), " +
    "including during a roll's grace period. Revoking a revoked key changes nothing. To keep the merchant from " +
    "locking itself out, a secret key is revoked only while another secret key of its mode stays (neither revoked " +
    "nor being rolled out); otherwise 400 `invalid_state`: roll it instead. Revoking the key you call with is " +
    "allowed under that rule (Stripe allows it too): this request still succeeds, the next one is refused. Secret keys only.",
  request: { params: KeyPathSchema, headers: IdempotencyHeaders },
  responses: { 200: jsonResponse(ApiKeySchema, "The key, revoked.") },
  problems: ["invalid_state"],
});

export function registerRevokeKey(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { merchantId, livemode } = c.get("auth");
    const key = await ownedKey(c.env.DB, { merchantId, mode: livemode ? "live" : "test" }, id);
    if (!key) throw notFound("API key", id);
    const after = await revoke(c.env.DB, key, true);
    if (!after.revokedAt) {
      throw keyState(
        `'${id}' is the last secret key of ${key.mode} mode: revoking it would lock you out. Roll it instead, ` +
          "or create another secret key (POST /v1/keys) first.",
      );
    }
    return c.json(toApiKey(after), 200);
  });
}
