import { createApp } from "./app";
import { logger } from "./lib/log";
import { instrumentHandlers, instrumentObject } from "./lib/sentry";
import { startSpan } from "./lib/trace";
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

export default instrumentHandlers({
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  // Awaited rather than left to waitUntil, so a sweep that throws fails the run where Sentry sees it.
  scheduled: async (_controller, env) => {
    await sweep(env, logger.with({ trace_id: startSpan(undefined).traceId }));
  },
  // The webhook events queue (wrangler.toml): the customer objects' events, on to their endpoints.
  queue: (batch, env) => fanOut(batch, { db: env.DB, enqueue: endpointObjects(env) }),
}) satisfies ExportedHandler<Env>;
