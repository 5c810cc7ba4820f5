import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../db/schema";
import { listenedTo, type StreamOwner } from "../events/stream-object/listeners";
import { logger } from "../lib/log";
import type { DeliverableEvent } from "./deliverable";
import type { EventBatch } from "./event-batch";
import { subscribesTo } from "./rules/endpoints";

/** Hands events to one endpoint's object, which stores them, delivers them and dedupes them by id. */
export type EnqueueEvents = (endpointId: string, events: DeliverableEvent[]) => Promise<unknown>;

/** Hands a merchant's events (one mode's) to its event stream object, which pushes them to the attached streams. */
export type StreamEvents = (owner: StreamOwner, events: DeliverableEvent[]) => Promise<unknown>;

export interface FanOutDeps {
  db: D1Database;
  enqueue: EnqueueEvents;
  stream: StreamEvents;
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
 * The webhook events queue's consumer: reads the enabled endpoints of the batch's merchants and
 * their event-stream marks in one D1 batch, then hands each endpoint, in one call and all endpoints
 * in parallel, the events it subscribes to, and each marked merchant's stream object all its events.
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

  const { subscribers, streams } = await destinations(deps.db, [...new Set(messages.map((m) => m.body.merchantId))]);
  // Per destination (an endpoint, or a merchant's stream): its events across the batch, in message
  // order, the messages they came from, and how to hand them over.
  const routes = new Map<string, Route>();
  const route = (key: string, m: Message<EventBatch>, events: DeliverableEvent[], hand: Route["hand"]) => {
    if (events.length === 0) return;
    const r = routes.get(key) ?? { events: [], from: new Set(), hand };
    r.events.push(...events);
    r.from.add(m);
    routes.set(key, r);
  };
  for (const m of messages) {
    const { merchantId, livemode } = m.body;
    for (const endpoint of subscribers) {
      if (endpoint.merchantId !== merchantId || endpoint.livemode !== livemode) continue;
      const wanted = m.body.events.filter((e) => subscribesTo(endpoint.enabledEvents, e.type));
      route(endpoint.id, m, wanted, (events) => deps.enqueue(endpoint.id, events));
    }
    if (streams.has(streamKey(merchantId, livemode))) {
      route(streamKey(merchantId, livemode), m, m.body.events, (events) =>
        deps.stream({ merchantId, livemode }, events),
      );
    }
  }

  const failed = new Set<Message<EventBatch>>();
  await Promise.all(
    [...routes].map(async ([destination, route]) => {
      try {
        await route.hand(route.events);
      } catch (error) {
        logger.warn("webhook enqueue failed", { destination, error: String(error) });
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

interface Route {
  events: DeliverableEvent[];
  from: Set<Message<EventBatch>>;
  hand: (events: DeliverableEvent[]) => Promise<unknown>;
}

/** Event streams are per merchant and mode; endpoint ids never contain a colon, so the keys never meet. */
const streamKey = (merchantId: string, livemode: boolean) => `stream:${merchantId}:${livemode}`;

/**
 * The enabled endpoints of these merchants, and which of them have an event stream attached: one D1
 * batch (one round trip) per chunk of merchants, so a merchant nobody streams costs an indexed read
 * that finds nothing, and no object call.
 */
async function destinations(db: D1Database, merchantIds: string[]) {
  const chunks = [];
  for (let k = 0; k < merchantIds.length; k += MERCHANTS_PER_QUERY) {
    chunks.push(merchantIds.slice(k, k + MERCHANTS_PER_QUERY));
  }
  const results = await Promise.all(
    chunks.map((ids) =>
      drizzle(db).batch([
        drizzle(db)
          .select({
            id: webhookEndpoints.id,
            merchantId: webhookEndpoints.merchantId,
            livemode: webhookEndpoints.livemode,
            enabledEvents: webhookEndpoints.enabledEvents,
          })
          .from(webhookEndpoints)
          .where(and(inArray(webhookEndpoints.merchantId, ids), eq(webhookEndpoints.status, "enabled"))),
        listenedTo(db, ids),
      ]),
    ),
  );
  const subscribers: Subscriber[] = results.flatMap(([endpoints]) => endpoints);
  const streams = new Set(results.flatMap(([, marks]) => marks.map((m) => streamKey(m.merchantId, m.livemode))));
  return { subscribers, streams };
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
