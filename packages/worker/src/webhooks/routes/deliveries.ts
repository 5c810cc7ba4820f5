import { z } from "@hono/zod-openapi";
import {
  ListParamsSchema,
  WebhookDeliverySchema,
  WebhookRecoverParamsSchema,
  WebhookRecoverResultSchema,
} from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { listRoute } from "../../routes/list-route";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { findEndpoint } from "../storage/endpoints";
import { WebhookEndpointPathSchema } from "./endpoint";

const TAG = "Webhook endpoints";

const DeliveryPathSchema = WebhookEndpointPathSchema.extend({
  event_id: z.string().openapi({ param: { name: "event_id", in: "path" }, example: "evt_01JDQ8Z6W2N8X4C2V7B5K9M3PG" }),
});

const retryRoute = apiRoute({
  method: "post",
  path: "/v1/webhook_endpoints/{id}/deliveries/{event_id}/retry",
  operationId: "retryWebhookDelivery",
  tags: [TAG],
  summary: "Redeliver one event",
  description:
    "Sends the event again now, even if it was delivered, with the same `webhook-id` and a fresh retry " +
    "schedule. The attempt runs in the background: the answer shows the delivery queued.",
  request: { params: DeliveryPathSchema, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(WebhookDeliverySchema, "The delivery, pending."),
  },
});

const recoverRoute = apiRoute({
  method: "post",
  path: "/v1/webhook_endpoints/{id}/recover",
  operationId: "recoverWebhookDeliveries",
  tags: [TAG],
  summary: "Redeliver failed deliveries",
  description:
    "Sends again every delivery that failed among the events queued since `since`: after an outage, or once a " +
    "disabled endpoint is enabled again. It also queues, in the background, every event since `since` the " +
    "endpoint subscribes to but never got (events of the time it was disabled, or that could not be handed to " +
    "it); they then appear in its deliveries. Events already delivered are not sent again. Enable the endpoint " +
    "first; a disabled one delivers nothing.",
  request: {
    params: WebhookEndpointPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(WebhookRecoverParamsSchema, "Since when."),
  },
  responses: {
    200: jsonResponse(WebhookRecoverResultSchema, "How many deliveries were queued again."),
  },
});

/** The endpoint's delivery object, once the caller is known to own the endpoint (another merchant's is a 404). */
async function endpointObject(env: Env, auth: Parameters<typeof findEndpoint>[1], id: string) {
  await findEndpoint(drizzle(env.DB), auth, id);
  return env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(id));
}

export function registerWebhookDeliveryRoutes(app: App) {
  listRoute(app, {
    path: "/v1/webhook_endpoints/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    tag: TAG,
    summary: "List an endpoint's deliveries",
    description:
      "Each event queued for the endpoint, newest first, with every attempt: its time, status code, latency and " +
      "the first 1 KB of the answer. Served by the endpoint's own object, so always current. `starting_after` is " +
      "an event id.",
    params: WebhookEndpointPathSchema,
    query: ListParamsSchema,
    item: WebhookDeliverySchema,
    name: "WebhookDeliveryList",
    returns: "A page of deliveries.",
    page: async (c, { limit, starting_after }, { id }) =>
      (await endpointObject(c.env, c.get("auth"), id)).deliveries({ limit, starting_after }),
  });

  app.openapi(retryRoute, async (c) => {
    const { id, event_id } = c.req.valid("param");
    const stub = await endpointObject(c.env, c.get("auth"), id);
    const delivery = await stub.retry(event_id);
    if (!delivery) throw notFound("delivery", event_id);
    return c.json(delivery, 200);
  });

  app.openapi(recoverRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { since } = c.req.valid("json");
    const stub = await endpointObject(c.env, c.get("auth"), id);
    const { redelivered } = await stub.recover(id, since);
    return c.json({ object: "webhook_recovery" as const, redelivered }, 200);
  });
}
