import { logger } from "../lib/log";
import { type EventQueue, sendEvents } from "../webhooks/event-batch";
import { aggregate } from "./aggregate";
import { isProjectionMessage, type ProjectionMessage } from "./message";
import { batchStatements } from "./statements";

/** Where a test makes the consumer die between its steps; nothing in production. */
export type ConsumerStep = "before-d1" | "before-events" | "before-ack";

export interface ConsumerDeps {
  db: D1Database;
  webhookEvents: EventQueue;
  faults?: { at(step: ConsumerStep): void };
}

/**
 * The projection queue's consumer: writes a batch of up to 100 customer objects' messages to D1
 * in one atomic `batch()` (statements.ts), then hands the batch's events to the webhook events
 * queue, so an event is in D1 before any endpoint is sent it; then acknowledges the batch.
 *
 * Any failure retries the whole batch (after a delay, then the dead-letter lane): writing it again
 * changes nothing D1 already has, and the endpoints dedupe the events by id. The customer objects
 * have advanced their marks once the queue took their messages, so from there the queue's
 * at-least-once delivery, and the sweep behind it, is what gets them to D1.
 */
export async function projectBatch(batch: MessageBatch<unknown>, deps: ConsumerDeps): Promise<void> {
  const messages: ProjectionMessage[] = [];
  for (const m of batch.messages) {
    if (isProjectionMessage(m.body)) messages.push(m.body);
    // Retrying cannot mend a malformed message: say so and drop it.
    else {
      logger.error("malformed projection message", { id: m.id });
      m.ack();
    }
  }
  if (messages.length === 0) return;
  const rows = aggregate(messages);
  try {
    deps.faults?.at("before-d1");
    const statements = batchStatements(deps.db, rows);
    if (statements.length > 0) await deps.db.batch(statements);
    deps.faults?.at("before-events");
    await Promise.all(rows.deliveries.map((d) => sendEvents(deps.webhookEvents, d.merchantId, d.livemode, d.events)));
    deps.faults?.at("before-ack");
  } catch (error) {
    logger.warn("projection batch failed, will retry", { messages: messages.length, error: String(error) });
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    batch.retryAll({ delaySeconds: retryDelay(attempts) });
    return;
  }
  batch.ackAll();
}

/** Seconds at first (a D1 blip), backing off to minutes (an outage). */
const retryDelay = (attempts: number) => Math.min(2 ** attempts, 300);
