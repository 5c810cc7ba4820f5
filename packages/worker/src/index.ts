import { createApp } from "./app";
import { instrumentFetch, instrumentObject } from "./lib/sentry";
import { CustomerObject as CustomerObjectBase } from "./objects/customer";
import { IdempotencyObject as IdempotencyObjectBase } from "./objects/idempotency";
import { WebhookEndpointObject as WebhookEndpointObjectBase } from "./objects/webhook-endpoint";
import { sweep } from "./sweep";
import { endpointObjects } from "./webhooks/endpoint-objects";
import { fanOut } from "./webhooks/fan-out";

export const CustomerObject = instrumentObject(CustomerObjectBase);
export const IdempotencyObject = instrumentObject(IdempotencyObjectBase);
export const WebhookEndpointObject = instrumentObject(WebhookEndpointObjectBase);

const app = createApp();

export default {
  ...instrumentFetch((request, env, ctx) => app.fetch(request, env, ctx)),
  scheduled: (_controller, env, ctx) => ctx.waitUntil(sweep(env)),
  // The webhook events queue (wrangler.toml): the customer objects' events, on to their endpoints.
  queue: (batch, env) => fanOut(batch, { db: env.DB, enqueue: endpointObjects(env) }),
} satisfies ExportedHandler<Env>;
