import { ApiKeySchema, ListParamsSchema, listSchema } from "@tranche/shared";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { merchants } from "../../db/schema";
import type { App } from "../../env";
import { toApiKey } from "../../lib/api-keys";
import { notFound } from "../../lib/errors";
import { MerchantPathSchema } from "../../merchants/routes/create-key";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { keyById, keyPage, revoke } from "../storage";
import { KeyPathSchema } from "./path";

const list = apiRoute({
  method: "get",
  path: "/v1/admin/merchants/{id}/keys",
  operationId: "adminListMerchantKeys",
  tags: ["Admin"],
  summary: "List a merchant's API keys (admin)",
  description:
    "Operator action, with the ADMIN_TOKEN: the merchant's keys of both modes, newest first, revoked ones included. " +
    "Never a key itself, only its prefix.",
  security: [{ AdminToken: [] }],
  request: { params: MerchantPathSchema, query: ListParamsSchema },
  responses: { 200: jsonResponse(listSchema(ApiKeySchema, "ApiKeyList"), "A page of API keys.") },
});

const revokeRoute = apiRoute({
  method: "post",
  path: "/v1/admin/keys/{id}/revoke",
  operationId: "adminRevokeKey",
  tags: ["Admin"],
  summary: "Revoke any API key (admin)",
  description:
    "Operator action, with the ADMIN_TOKEN, e.g. for a leaked key: refused everywhere within a second. Unlike the " +
    "merchant's own revocation it may revoke the merchant's last secret key; issue it a new one with " +
    "POST /v1/merchants/{id}/keys. Revoking a revoked key changes nothing.",
  security: [{ AdminToken: [] }],
  request: { params: KeyPathSchema, headers: IdempotencyHeaders },
  responses: { 200: jsonResponse(ApiKeySchema, "The key, revoked.") },
});

export function registerAdminKeyRoutes(app: App) {
  app.openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const merchant = await drizzle(c.env.DB)
      .select({ id: merchants.id })
      .from(merchants)
      .where(eq(merchants.id, id))
      .get();
    if (!merchant) throw notFound("merchant", id);
    return c.json(await keyPage(c.env.DB, { merchantId: id }, c.req.valid("query")), 200);
  });
  app.openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const key = await keyById(c.env.DB, id);
    if (!key) throw notFound("API key", id);
    return c.json(toApiKey(await revoke(c.env.DB, key, false)), 200);
  });
}
