import { DeletedWebhookEndpointSchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { ownedBy } from "../storage/endpoints";
import { WebhookEndpointPathSchema } from "./endpoint";

const route = apiRoute({
  method: "delete",
  path: "/v1/webhook_endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  tags: ["Webhook endpoints"],
  summary: "Delete a webhook endpoint",
  description: "Deletes the endpoint for good: nothing more is delivered to it, retries included.",
  request: { params: WebhookEndpointPathSchema },
  responses: {
    200: jsonResponse(DeletedWebhookEndpointSchema, "The endpoint is gone."),
  },
});

export function registerDeleteWebhookEndpoint(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const gone = await drizzle(c.env.DB)
      .delete(webhookEndpoints)
      .where(ownedBy(c.get("auth"), id))
      .returning({ id: webhookEndpoints.id });
    if (!gone.length) throw notFound("webhook endpoint", id);
    return c.json({ id, object: "webhook_endpoint" as const, deleted: true as const }, 200);
  });
}
