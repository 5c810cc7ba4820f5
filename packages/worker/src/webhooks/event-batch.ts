import type { DeliverableEvent } from "./deliverable";
import { asDelivered } from "./rules/schedule";

/** A message of the webhook events queue: events of one merchant and mode, in the order they happened. */
export interface EventBatch {
  merchantId: string;
  livemode: boolean;
  events: DeliverableEvent[];
}

/** What the customer objects send on; a test swaps in a fake to watch or fail the sends. */
export interface EventQueue {
  sendBatch(messages: Iterable<MessageSendRequest<EventBatch>>): Promise<unknown>;
}

// Queues take messages of up to 128 KB and sendBatch calls of up to 100 messages and 256 KB; the
// margins leave room for the envelope the size is not counted on.
const MESSAGE_BYTES = 100_000;
const CALL_BYTES = 200_000;
const CALL_MESSAGES = 100;

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/**
 * Sends `events` as few messages as the size limits allow (one, for a command's dozen events).
 *
 * Sent whether or not the merchant has an enabled endpoint: the consumer decides, off the payment
 * path. Knowing here would cost a D1 read per purchase, or a cache that, stale, would drop the
 * events of an endpoint created in its lifetime; the send itself runs beside the D1 write.
 * Events go as they will be delivered: one whose body would pass 20 KB goes thin (`asDelivered`),
 * so every event fits a message.
 */
export async function sendEvents(
  queue: EventQueue,
  merchantId: string,
  livemode: boolean,
  events: DeliverableEvent[],
): Promise<void> {
  const messages: { body: EventBatch; size: number }[] = [];
  let current: DeliverableEvent[] = [];
  let size = 0;
  const close = () => {
    if (current.length > 0) messages.push({ body: { merchantId, livemode, events: current }, size });
    current = [];
    size = 0;
  };
  for (const event of events.map(asDelivered)) {
    const eventSize = bytes(event);
    if (size + eventSize > MESSAGE_BYTES) close();
    current.push(event);
    size += eventSize;
  }
  close();

  const calls: { body: EventBatch }[][] = [];
  let call: { body: EventBatch }[] = [];
  let callSize = 0;
  for (const m of messages) {
    if (call.length === CALL_MESSAGES || callSize + m.size > CALL_BYTES) {
      calls.push(call);
      call = [];
      callSize = 0;
    }
    call.push({ body: m.body });
    callSize += m.size;
  }
  if (call.length > 0) calls.push(call);
  await Promise.all(calls.map((c) => queue.sendBatch(c)));
}
