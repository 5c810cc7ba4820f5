import { createApp } from "./app";
import { EventStreamObject as EventStreamObjectBase } from "./events/stream-object";
import { streamObjects } from "./events/stream-objects";
import { logger } from "./lib/log";
import { withoutQueryCredentials } from "./lib/query-credentials";
import { instrumentHandlers, instrumentObject } from "./lib/sentry";
import { startSpan } from "./lib/trace";
import { runMonitor } from "./monitor/run";
import { CustomerObject as CustomerObjectBase } from "./objects/customer";
import { IdempotencyObject as IdempotencyObjectBase } from "./objects/idempotency";
import { projectBatch } from "./projection/consumer";
import { isProjectionQueue } from "./projection/queues";
import { readModel } from "./shards";
import { SWEEP_CRON, sweep } from "./sweep";
import { WebhookEndpointObject as WebhookEndpointObjectBase } from "./webhooks/endpoint-object";
import { endpointObjects } from "./webhooks/endpoint-objects";
import { fanOut } from "./webhooks/fan-out";
import { endpointRedaction } from "./webhooks/redaction";

export const CustomerObject = instrumentObject(CustomerObjectBase);
export const IdempotencyObject = instrumentObject(IdempotencyObjectBase);
export const WebhookEndpointObject = instrumentObject(WebhookEndpointObjectBase);
export const EventStreamObject = instrumentObject(EventStreamObjectBase);

const app = createApp();

export default instrumentHandlers({
  // A credential in the query string is dropped before the app (or anything it records) sees the URL.
  fetch: (request, env, ctx) => app.fetch(withoutQueryCredentials(request), env, ctx),
  // Two crons (wrangler.toml): the sweep every 15 minutes, the monitor every minute, each its own
  // run, so either one failing never stops the other. Awaited rather than left to waitUntil, so a
  // run that throws fails where Sentry sees it.
  scheduled: async (controller, env) => {
    const log = logger.with({ trace_id: startSpan(undefined).traceId });
    await (controller.cron === SWEEP_CRON ? sweep(env, log) : runMonitor(env, log));
  },
  // Two queues (wrangler.toml), each with its dead-letter lane: the projection, the customer objects'
  // changes on to D1; and the webhook events, on to their endpoints.
  queue: (batch, env) =>
    isProjectionQueue(batch.queue)
      ? projectBatch(batch, {
          readModel: (merchantId) => readModel(env, merchantId),
          webhookEvents: env.WEBHOOK_EVENTS,
          redactDeliveries: endpointRedaction(env),
        })
      : fanOut(batch, { db: env.DB, enqueue: endpointObjects(env), stream: streamObjects(env) }),
}) satisfies ExportedHandler<Env>;
