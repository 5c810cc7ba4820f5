import { WebhookEndpointCreateParamsSchema, WebhookEndpointWithSecretSchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { App } from "../../env";
import { newId } from "../../lib/ids";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { keyringOf } from "../../secrets/require";
import { toWebhookEndpoint, type WebhookEndpointRow } from "../rules/endpoints";
import { newSealedSecret } from "../storage/sealed-secrets";
import { allowedUrl } from "./endpoint";

const route = apiRoute({
  method: "post",
  path: "/v1/webhook_endpoints",
  operationId: "createWebhookEndpoint",
  tags: ["Webhook endpoints"],
  summary: "Create a webhook endpoint",
  description:
    "Subscribes a URL to event types of the key's mode, enabled at once. The answer carries the endpoint's " +
    "signing secret, shown this once: keep it to verify deliveries. A URL the outbound policy refuses is a 400 " +
    "on `url` (see `url`).",
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(WebhookEndpointCreateParamsSchema, "The URL and the event types it receives."),
  },
  responses: {
    201: jsonResponse(WebhookEndpointWithSecretSchema, "The endpoint, with its secret (shown once)."),
  },
});

export function registerCreateWebhookEndpoint(app: App) {
  app.openapi(route, async (c) => {
    const params = c.req.valid("json");
    const auth = c.get("auth");
    const now = new Date().toISOString();
    const id = newId("we");
    const { secret, sealed } = await newSealedSecret(await keyringOf(c.env), id);
    const row: WebhookEndpointRow = {
      id,
      merchantId: auth.merchantId,
      livemode: auth.livemode,
      url: allowedUrl(c.env, auth, params.url),
      enabledEvents: params.enabled_events,
      description: params.description || null,
      status: "enabled",
      metadata: params.metadata ?? {},
      secret: sealed,
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await drizzle(c.env.DB).insert(webhookEndpoints).values(row);
    return c.json({ ...toWebhookEndpoint(row), secret }, 201);
  });
}
