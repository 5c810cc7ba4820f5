import { createApp } from "./app";
import { instrumentFetch, instrumentObject } from "./lib/sentry";
import { CustomerObject as CustomerObjectBase } from "./objects/customer";
import { IdempotencyObject as IdempotencyObjectBase } from "./objects/idempotency";
import { WebhookEndpointObject as WebhookEndpointObjectBase } from "./objects/webhook-endpoint";
import { sweep } from "./sweep";

export const CustomerObject = instrumentObject(CustomerObjectBase);
export const IdempotencyObject = instrumentObject(IdempotencyObjectBase);
export const WebhookEndpointObject = instrumentObject(WebhookEndpointObjectBase);

const app = createApp();

export default {
  ...instrumentFetch((request, env, ctx) => app.fetch(request, env, ctx)),
  scheduled: (_controller, env, ctx) => ctx.waitUntil(sweep(env)),
} satisfies ExportedHandler<Env>;
