import { WebhookEndpointSchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import type { App } from "../../env";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { toWebhookEndpoint } from "../rules/endpoints";
import { findEndpoint, WebhookEndpointPathSchema } from "./endpoint";

const route = apiRoute({
  method: "get",
  path: "/v1/webhook_endpoints/{id}",
  operationId: "retrieveWebhookEndpoint",
  tags: ["Webhook endpoints"],
  summary: "Retrieve a webhook endpoint",
  description: "The endpoint without its secret, which is shown only when issued.",
  request: { params: WebhookEndpointPathSchema },
  responses: { 200: jsonResponse(WebhookEndpointSchema, "The webhook endpoint.") },
});

export function registerRetrieveWebhookEndpoint(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(toWebhookEndpoint(await findEndpoint(drizzle(c.env.DB), c.get("auth"), id)), 200);
  });
}
