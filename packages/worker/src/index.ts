import { createApp } from "./app";
import { logger } from "./lib/log";
import { instrumentHandlers, instrumentObject } from "./lib/sentry";
import { startSpan } from "./lib/trace";
import { runMonitor } from "./monitor/run";
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
  // Awaited rather than left to waitUntil, so a sweep or monitor that throws fails the run where
  // Sentry sees it; settled side by side, so either one failing does not stop the other.
  scheduled: async (_controller, env) => {
    const log = logger.with({ trace_id: startSpan(undefined).traceId });
    const runs = await Promise.allSettled([sweep(env, log), runMonitor(env, log)]);
    const errors = runs.flatMap((run) => (run.status === "rejected" ? [run.reason] : []));
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError(errors, "the sweep and the monitor both failed");
  },
  // The webhook events queue (wrangler.toml): the customer objects' events, on to their endpoints.
  queue: (batch, env) => fanOut(batch, { db: env.DB, enqueue: endpointObjects(env) }),
}) satisfies ExportedHandler<Env>;
