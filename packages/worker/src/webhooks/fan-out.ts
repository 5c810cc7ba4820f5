import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../db/schema";
import { logger } from "../lib/log";
import type { DeliverableEvent } from "./deliverable";
import type { EventBatch } from "./event-batch";
import { subscribesTo } from "./rules/endpoints";

/** Hands events to one endpoint's object, which stores them, delivers them and dedupes them by id. */
export type EnqueueEvents = (endpointId: string, events: DeliverableEvent[]) => Promise<unknown>;

export interface FanOutDeps {
  db: D1Database;
  enqueue: EnqueueEvents;
}

interface Subscriber {
  id: string;
  merchantId: string;
  livemode: boolean;
  enabledEvents: string[];
}

// D1 binds at most 100 parameters a statement; a batch has at most 100 messages (wrangler.toml).
const MERCHANTS_PER_QUERY = 90;

/**
 * The webhook events queue's consumer: reads the enabled endpoints of the batch's merchants in one
 * query, then hands each endpoint, in one call and all endpoints in parallel, the events it
 * subscribes to.
 *
 * At least once, end to end: a message is acked only when every endpoint it was for has taken its
 * events; otherwise it alone is retried (after a delay, then the dead-letter queue). Its retry
 * hands the events again to the endpoints that had them, which dedupe by event id. Retrying per
 * message rather than per endpoint is enough because an enqueue only stores: a receiver's own
 * failures are retried inside its endpoint's object and never fail an enqueue, so one slow or
 * broken receiver holds up neither the other endpoints nor this queue.
 */
export async function fanOut(batch: MessageBatch<unknown>, deps: FanOutDeps): Promise<void> {
  const messages = batch.messages.filter((m) => {
    if (isEventBatch(m.body)) return true;
    // Retrying cannot mend a malformed message: say so and drop it.
    logger.error("malformed webhook events message", { id: m.id });
    m.ack();
    return false;
  }) as Message<EventBatch>[];
  if (messages.length === 0) return;

  const subscribers = await enabledEndpoints(deps.db, [...new Set(messages.map((m) => m.body.merchantId))]);
  // Per endpoint: its events across the batch, in message order, and the messages they came from.
  const routes = new Map<string, { events: DeliverableEvent[]; from: Set<Message<EventBatch>> }>();
  for (const m of messages) {
    for (const endpoint of subscribers) {
      if (endpoint.merchantId !== m.body.merchantId || endpoint.livemode !== m.body.livemode) continue;
      const wanted = m.body.events.filter((e) => subscribesTo(endpoint.enabledEvents, e.type));
      if (wanted.length === 0) continue;
      const route = routes.get(endpoint.id) ?? { events: [], from: new Set() };
      route.events.push(...wanted);
      route.from.add(m);
      routes.set(endpoint.id, route);
    }
  }

  const failed = new Set<Message<EventBatch>>();
  await Promise.all(
    [...routes].map(async ([endpointId, route]) => {
      try {
        await deps.enqueue(endpointId, route.events);
      } catch (error) {
        logger.warn("webhook enqueue failed", { endpoint_id: endpointId, error: String(error) });
        for (const m of route.from) failed.add(m);
      }
    }),
  );
  for (const m of messages) {
    if (failed.has(m)) m.retry({ delaySeconds: retryDelay(m.attempts) });
    else m.ack();
  }
}

/** Backs off from seconds to minutes: an object that cannot store is having an outage, not a blip. */
const retryDelay = (attempts: number) => Math.min(5 * 2 ** (attempts - 1), 600);

async function enabledEndpoints(db: D1Database, merchantIds: string[]): Promise<Subscriber[]> {
  const chunks = [];
  for (let k = 0; k < merchantIds.length; k += MERCHANTS_PER_QUERY) {
    chunks.push(merchantIds.slice(k, k + MERCHANTS_PER_QUERY));
  }
  const results = await Promise.all(
    chunks.map((ids) =>
      drizzle(db)
        .select({
          id: webhookEndpoints.id,
          merchantId: webhookEndpoints.merchantId,
          livemode: webhookEndpoints.livemode,
          enabledEvents: webhookEndpoints.enabledEvents,
        })
        .from(webhookEndpoints)
        .where(and(inArray(webhookEndpoints.merchantId, ids), eq(webhookEndpoints.status, "enabled"))),
    ),
  );
  return results.flat();
}

function isEventBatch(body: unknown): body is EventBatch {
  const b = body as Partial<EventBatch> | null;
  return (
    typeof b === "object" &&
    b !== null &&
    typeof b.merchantId === "string" &&
    typeof b.livemode === "boolean" &&
    Array.isArray(b.events)
  );
}
