import { WebhookEndpointSchema, WebhookEndpointUpdateParamsSchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { App } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { toWebhookEndpoint, type WebhookEndpointRow } from "../rules/endpoints";
import { findEndpoint, ownedBy } from "../storage/endpoints";
import { allowedUrl, WebhookEndpointPathSchema } from "./endpoint";

const MAX_METADATA_KEYS = 50;

const route = apiRoute({
  method: "patch",
  path: "/v1/webhook_endpoints/{id}",
  operationId: "updateWebhookEndpoint",
  tags: ["Webhook endpoints"],
  summary: "Update a webhook endpoint",
  description:
    "Changes only the fields given. A new `url` is checked against the outbound policy as on creation. " +
    "`status: disabled` stops deliveries until it is set back to `enabled`. The secret stays: rotate it with " +
    "`POST /v1/webhook_endpoints/{id}/rotate_secret`.",
  request: {
    params: WebhookEndpointPathSchema,
    body: jsonBody(WebhookEndpointUpdateParamsSchema, "The fields to change."),
  },
  responses: {
    200: jsonResponse(WebhookEndpointSchema, "The updated endpoint."),
  },
});

export function registerUpdateWebhookEndpoint(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const params = c.req.valid("json");
    const auth = c.get("auth");
    const db = drizzle(c.env.DB);
    const changes: Partial<WebhookEndpointRow> = { updatedAt: new Date().toISOString() };
    if (params.url !== undefined) changes.url = allowedUrl(c.env, auth, params.url);
    if (params.enabled_events !== undefined) changes.enabledEvents = params.enabled_events;
    if (params.description !== undefined) changes.description = params.description || null;
    if (params.status !== undefined) changes.status = params.status;
    if (params.metadata !== undefined) {
      changes.metadata = mergeMetadata((await findEndpoint(db, auth, id)).metadata, params.metadata);
    }
    const [row] = await db.update(webhookEndpoints).set(changes).where(ownedBy(auth, id)).returning();
    if (!row) throw notFound("webhook endpoint", id);
    return c.json(toWebhookEndpoint(row), 200);
  });
}

/** Stripe's rule: the given keys are set, a key set to "" is removed, the others stay. */
function mergeMetadata(current: Record<string, string>, patch: Record<string, string>): Record<string, string> {
  const merged = { ...current, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === "") delete merged[key];
  if (Object.keys(merged).length > MAX_METADATA_KEYS) {
    const message = `metadata holds at most ${MAX_METADATA_KEYS} keys`;
    throw new ApiError("validation_error", `Invalid body: metadata: ${message}`, [{ path: "metadata", message }]);
  }
  return merged;
}
