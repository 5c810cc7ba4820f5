import { WebhookEndpointWithSecretSchema } from "@tranche/shared";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { keyringOf } from "../../secrets/require";
import { PREVIOUS_SECRET_TTL_MS, toWebhookEndpoint } from "../rules/endpoints";
import { ownedBy } from "../storage/endpoints";
import { newSealedSecret } from "../storage/sealed-secrets";
import { WebhookEndpointPathSchema } from "./endpoint";

const route = apiRoute({
  method: "post",
  path: "/v1/webhook_endpoints/{id}/rotate_secret",
  operationId: "rotateWebhookEndpointSecret",
  tags: ["Webhook endpoints"],
  summary: "Rotate a webhook endpoint's secret",
  description:
    "Issues a new signing secret, shown this once. For 24 hours deliveries carry signatures made with both the " +
    "new and the previous secret, so the receiver can switch without missing one. Rotating again within those " +
    "24 hours retires the oldest secret at once: at most two sign at a time.",
  request: { params: WebhookEndpointPathSchema, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(WebhookEndpointWithSecretSchema, "The endpoint, with its new secret (shown once)."),
  },
});

export function registerRotateWebhookEndpointSecret(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const now = Date.now();
    const { secret, sealed } = await newSealedSecret(await keyringOf(c.env), id);
    // One statement: SQLite's SET reads the row as it was, so the old secret becomes the previous one
    // even if two rotations race.
    const [row] = await drizzle(c.env.DB)
      .update(webhookEndpoints)
      .set({
        previousSecret: sql`${webhookEndpoints.secret}`,
        previousSecretExpiresAt: new Date(now + PREVIOUS_SECRET_TTL_MS).toISOString(),
        secret: sealed,
        updatedAt: new Date(now).toISOString(),
      })
      .where(ownedBy(c.get("auth"), id))
      .returning();
    if (!row) throw notFound("webhook endpoint", id);
    return c.json({ ...toWebhookEndpoint(row, now), secret }, 200);
  });
}
