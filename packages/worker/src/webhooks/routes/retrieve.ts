import { WebhookEndpointSchema } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import type { App } from "../../env";
import { retrieveRoute } from "../../routes/retrieve-route";
import { toWebhookEndpoint } from "../rules/endpoints";
import { findEndpoint } from "../storage/endpoints";
import { WebhookEndpointPathSchema } from "./endpoint";

export function registerRetrieveWebhookEndpoint(app: App) {
  retrieveRoute(app, {
    path: "/v1/webhook_endpoints/{id}",
    operationId: "retrieveWebhookEndpoint",
    tag: "Webhook endpoints",
    summary: "Retrieve a webhook endpoint",
    description: "The endpoint without its secret, which is shown only when issued.",
    params: WebhookEndpointPathSchema,
    item: WebhookEndpointSchema,
    returns: "The webhook endpoint.",
    resource: "webhook endpoint",
    load: async (c, id) => toWebhookEndpoint(await findEndpoint(drizzle(c.env.DB), c.get("auth"), id)),
  });
}
