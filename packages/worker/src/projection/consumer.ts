import { logger } from "../lib/log";
import { type EventQueue, sendEvents } from "../webhooks/event-batch";
import type { RedactDeliveries } from "../webhooks/redaction";
import { aggregate } from "./aggregate";
import { isProjectionMessage, type ProjectionMessage } from "./message";
import { batchStatements } from "./statements";

/** Where a test makes the consumer die between its steps; nothing in production. */
export type ConsumerStep = "before-d1" | "before-events" | "before-ack";

export interface ConsumerDeps {
  /** The read-model shard holding a merchant's rows (src/shards/). */
  readModel: (merchantId: string) => Promise<D1Database>;
  webhookEvents: EventQueue;
  /** Rewrites the stored webhook deliveries of redacted events (src/webhooks/redaction.ts). */
  redactDeliveries: RedactDeliveries;
  faults?: { at(step: ConsumerStep): void };
}

type Delivery = { message: Message<unknown>; body: ProjectionMessage };

/**
 * The projection queue's consumer: groups a batch of up to 100 customer objects' messages by the
 * read-model shard of their merchant, and writes each shard's share in one atomic `batch()`
 * (statements.ts), then hands that share's events to the webhook events queue, so an event is in
 * D1 before any endpoint is sent it; then acknowledges that share's messages.
 *
 * A failure retries only the messages of the shard it hit (after a delay, then the dead-letter
 * lane); the other shards' writes stand. Writing a share again changes nothing D1 already has, and
 * the endpoints dedupe the events by id. The customer objects have advanced their marks once the
 * queue took their messages, so from there the queue's at-least-once delivery, and the sweep
 * behind it, is what gets them to D1.
 */
export async function projectBatch(batch: MessageBatch<unknown>, deps: ConsumerDeps): Promise<void> {
  const deliveries: Delivery[] = [];
  for (const message of batch.messages) {
    const body = message.body;
    if (isProjectionMessage(body)) deliveries.push({ message, body });
    // Retrying cannot mend a malformed message: say so and drop it.
    else {
      logger.error("malformed projection message", { id: message.id });
      message.ack();
    }
  }
  // Each merchant's shard once, all at once: a batch's merchants are looked up together.
  const merchants = [...new Set(deliveries.map((d) => d.body.merchantId))];
  const shardOf = new Map(
    await Promise.all(
      merchants.map(async (merchantId) => {
        const db = await deps.readModel(merchantId).catch((error) => {
          logger.warn("no read-model shard for a merchant's projection, will retry", { error: String(error) });
        });
        return [merchantId, db] as const;
      }),
    ),
  );
  const byShard = new Map<D1Database, Delivery[]>();
  const unrouted: Delivery[] = [];
  for (const delivery of deliveries) {
    const db = shardOf.get(delivery.body.merchantId);
    if (db) byShard.set(db, [...(byShard.get(db) ?? []), delivery]);
    else unrouted.push(delivery);
  }
  retry(unrouted);
  await Promise.all([...byShard].map(([db, share]) => projectShare(db, share, deps)));
}

/** One shard's share of a batch: written, its events sent, acknowledged; or all of it retried. */
async function projectShare(db: D1Database, deliveries: Delivery[], deps: ConsumerDeps): Promise<void> {
  const rows = aggregate(deliveries.map((d) => d.body));
  try {
    deps.faults?.at("before-d1");
    const statements = batchStatements(db, rows);
    if (statements.length > 0) await db.batch(statements);
    deps.faults?.at("before-events");
    await Promise.all(rows.deliveries.map((d) => sendEvents(deps.webhookEvents, d.merchantId, d.livemode, d.events)));
    await Promise.all(rows.redactions.map((r) => deps.redactDeliveries(r.merchantId, r.livemode, r.events)));
    deps.faults?.at("before-ack");
  } catch (error) {
    logger.warn("projection batch failed, will retry", { messages: deliveries.length, error: String(error) });
    retry(deliveries);
    return;
  }
  for (const d of deliveries) d.message.ack();
}

function retry(deliveries: Delivery[]): void {
  if (deliveries.length === 0) return;
  const delaySeconds = retryDelay(Math.max(...deliveries.map((d) => d.message.attempts)));
  for (const d of deliveries) d.message.retry({ delaySeconds });
}

/** Seconds at first (a D1 blip), backing off to minutes (an outage). */
const retryDelay = (attempts: number) => Math.min(2 ** attempts, 300);
