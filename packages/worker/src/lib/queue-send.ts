/** A queue as a producer sees it; a test swaps in a fake to watch or fail the sends. */
export interface Producer<Body> {
  sendBatch(messages: Iterable<MessageSendRequest<Body>>): Promise<unknown>;
}

// Queues take messages of up to 128 KB and sendBatch calls of up to 100 messages and 256 KB; the
// margins leave room for the envelope the size is not counted on.
const MESSAGE_BYTES = 100_000;
const CALL_BYTES = 200_000;
const CALL_MESSAGES = 100;

const encoder = new TextEncoder();
/** The bytes of `value` as JSON, as the queue counts a message's body. */
export const bytes = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

/**
 * Packs `items` in order into as few messages as the size limit allows (`wrap` makes a message's
 * body of a run of items), and sends them in as few `sendBatch` calls as the call limits allow,
 * all at once; resolves once the queue has accepted every call. An item is never split, so one
 * must fit a message on its own.
 */
export async function sendPacked<Item, Body>(
  queue: Producer<Body>,
  items: Item[],
  wrap: (items: Item[]) => Body,
): Promise<void> {
  const messages: { body: Body; size: number }[] = [];
  let run: Item[] = [];
  let size = 0;
  const close = () => {
    if (run.length > 0) messages.push({ body: wrap(run), size });
    run = [];
    size = 0;
  };
  for (const item of items) {
    const itemSize = bytes(item);
    if (size + itemSize > MESSAGE_BYTES) close();
    run.push(item);
    size += itemSize;
  }
  close();

  const calls: { body: Body }[][] = [];
  let call: { body: Body }[] = [];
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
