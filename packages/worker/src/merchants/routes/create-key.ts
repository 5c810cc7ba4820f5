import { z } from "@hono/zod-openapi";
import { ApiKeyCreateParamsSchema, ApiKeyWithSecretSchema } from "@tranche/shared";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, merchants } from "../../db/schema";
import type { App } from "../../env";
import { newApiKey, withSecret } from "../../lib/api-keys";
import { ApiError, notFound } from "../../lib/errors";
import { liveModeAvailable } from "../../processor/config";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

export const MerchantPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "mer_01JDQ8Z6W2N8X4C2V7B5K9M3PD" }),
});

const route = apiRoute({
  method: "post",
  path: "/v1/merchants/{id}/keys",
  operationId: "createMerchantKey",
  tags: ["Merchants"],
  summary: "Issue an API key (admin)",
  description:
    "Admin only: authenticate with the ADMIN_TOKEN secret. Issues the merchant a new secret key, shown this once; " +
    "its other keys keep working. A `live` key is refused (403 `livemode_unavailable`) where the deployment has " +
    "no processor for live mode, so no key can ever reach a request that live mode would refuse. With no " +
    "ADMIN_TOKEN set, this route does not exist.",
  security: [{ AdminToken: [] }],
  request: {
    params: MerchantPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(ApiKeyCreateParamsSchema, "The key's mode."),
  },
  responses: { 201: jsonResponse(ApiKeyWithSecretSchema, "The key, with its secret (shown once).") },
  problems: ["livemode_unavailable"],
});

export function registerCreateMerchantKey(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { mode } = c.req.valid("json");
    if (mode === "live" && !liveModeAvailable(c.env)) {
      throw new ApiError(
        "livemode_unavailable",
        "This deployment has no payment processor for live mode (LIVE_PROCESSOR), so it issues no live keys.",
      );
    }
    const db = drizzle(c.env.DB);
    const merchant = await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, id)).get();
    if (!merchant) throw notFound("merchant", id);
    const issued = await newApiKey(id, mode, new Date().toISOString());
    await db.insert(apiKeys).values(issued.row);
    return c.json(withSecret(issued), 201);
  });
}
