import { type Producer, sendPacked } from "../lib/queue-send";
import type { DeliverableEvent } from "./deliverable";
import { asDelivered } from "./rules/schedule";

/** A message of the webhook events queue: events of one merchant and mode, in the order they happened. */
export interface EventBatch {
  merchantId: string;
  livemode: boolean;
  events: DeliverableEvent[];
}

/** What the projection's consumer sends on; a test swaps in a fake to watch or fail the sends. */
export type EventQueue = Producer<EventBatch>;

/**
 * Sends `events` as few messages as the size limits allow (one, for a command's dozen events).
 *
 * Sent whether or not the merchant has an enabled endpoint: the fan-out decides. Knowing here would
 * cost a D1 read per batch, or a cache that, stale, would drop the events of an endpoint created
 * in its lifetime. Events go as they will be delivered: one whose body would pass 20 KB goes thin
 * (`asDelivered`), so every event fits a message.
 */
export function sendEvents(
  queue: EventQueue,
  merchantId: string,
  livemode: boolean,
  events: DeliverableEvent[],
): Promise<void> {
  return sendPacked(queue, events.map(asDelivered), (run) => ({ merchantId, livemode, events: run }));
}
