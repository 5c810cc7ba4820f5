import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import type { EventType } from "@tranche/shared";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { webhookEndpoints } from "../../src/db/schema";
import { streamObjects } from "../../src/events/stream-objects";
import worker from "../../src/index";
import type { DeliverableEvent } from "../../src/webhooks/deliverable";
import type { EventBatch } from "../../src/webhooks/event-batch";
import { type EnqueueEvents, fanOut } from "../../src/webhooks/fan-out";

/** The queue's consumer on messages made here, with a fake in place of the endpoints' objects. */

const QUEUE = "tranche-webhook-events";
let serial = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(serial++).toString(36)}`;

async function endpoint(
  merchantId: string,
  opts: { livemode?: boolean; events?: string[]; status?: "enabled" | "disabled" } = {},
) {
  const id = unique("we");
  const at = new Date().toISOString();
  await drizzle(env.DB)
    .insert(webhookEndpoints)
    .values({
      id,
      merchantId,
      livemode: opts.livemode ?? false,
      url: "https://shop.example.com/hooks",
      enabledEvents: opts.events ?? ["*"],
      status: opts.status ?? "enabled",
      metadata: {},
      secret: "whsec_test",
      createdAt: at,
      updatedAt: at,
    });
  return id;
}

const event = (type: EventType): DeliverableEvent => ({
  id: unique("evt"),
  type,
  created_at: new Date().toISOString(),
  data: { object: { id: "pur_1" } },
});

/** Records what each endpoint was handed; endpoints in `failing` throw instead. */
function fakeEndpoints(failing: string[] = []) {
  const received = new Map<string, string[]>();
  const enqueue: EnqueueEvents = async (endpointId, events) => {
    if (failing.includes(endpointId)) throw new Error("object unavailable");
    received.set(endpointId, [...(received.get(endpointId) ?? []), ...events.map((e) => e.id)]);
    return { accepted: events.length };
  };
  return { received, enqueue };
}

async function consume(bodies: unknown[], enqueue: EnqueueEvents) {
  const batch = createMessageBatch<unknown>(
    QUEUE,
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await fanOut(batch, { db: env.DB, enqueue, stream: streamObjects(env) });
  return getQueueResult(batch, ctx);
}

describe("webhook fan-out: the queue's consumer", () => {
  it("routes events only to the enabled endpoints of the same merchant and mode that subscribe to their type", async () => {
    const merchant = unique("mer");
    const all = await endpoint(merchant);
    const paidOnly = await endpoint(merchant, { events: ["installment.paid"] });
    const disabled = await endpoint(merchant, { status: "disabled" });
    const live = await endpoint(merchant, { livemode: true });
    const other = await endpoint(unique("mer"));
    const created = event("purchase.created");
    const paid = event("installment.paid");
    const { received, enqueue } = fakeEndpoints();

    const body: EventBatch = { merchantId: merchant, livemode: false, events: [created, paid] };
    const result = await consume([body], enqueue);

    expect(received.get(all)).toEqual([created.id, paid.id]);
    expect(received.get(paidOnly)).toEqual([paid.id]);
    for (const id of [disabled, live, other]) expect(received.has(id), id).toBe(false);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("hands each endpoint one call for the whole batch, in message order, and keeps the modes apart", async () => {
    const merchant = unique("mer");
    const test = await endpoint(merchant);
    const live = await endpoint(merchant, { livemode: true });
    const [a, b, c] = [event("purchase.created"), event("installment.paid"), event("refund.succeeded")];
    const calls: string[] = [];
    const { received, enqueue } = fakeEndpoints();
    const counting: EnqueueEvents = (id, events) => {
      calls.push(id);
      return enqueue(id, events);
    };

    const result = await consume(
      [
        { merchantId: merchant, livemode: false, events: [a] },
        { merchantId: merchant, livemode: true, events: [b] },
        { merchantId: merchant, livemode: false, events: [c] },
      ],
      counting,
    );

    expect(received.get(test)).toEqual([a.id, c.id]);
    expect(received.get(live)).toEqual([b.id]);
    expect(calls.sort()).toEqual([test, live].sort());
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1", "msg-2"]);
  });

  it("a failing endpoint object does not stop the others; only the messages it needed are retried", async () => {
    const merchant = unique("mer");
    const broken = await endpoint(merchant, { events: ["installment.failed"] });
    const healthy = await endpoint(merchant);
    const failedEvent = event("installment.failed");
    const createdEvent = event("purchase.created");
    const { received, enqueue } = fakeEndpoints([broken]);

    const result = await consume(
      [
        { merchantId: merchant, livemode: false, events: [failedEvent] },
        { merchantId: merchant, livemode: false, events: [createdEvent] },
      ],
      enqueue,
    );

    expect(received.get(healthy)).toEqual([failedEvent.id, createdEvent.id]);
    expect(result.explicitAcks).toEqual(["msg-1"]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(["msg-0"]);
  });

  it("acks messages for merchants without endpoints and drops malformed ones, without calling any object", async () => {
    const { received, enqueue } = fakeEndpoints();
    const result = await consume(
      [{ merchantId: unique("mer"), livemode: false, events: [event("purchase.created")] }, { nope: true }],
      enqueue,
    );
    expect(received.size).toBe(0);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
  });

  it("is the Worker's queue handler, reaching the endpoints' objects through WEBHOOK_ENDPOINTS", async () => {
    const merchant = unique("mer");
    await endpoint(merchant);
    const batch = createMessageBatch<EventBatch>(QUEUE, [
      { id: "m", timestamp: new Date(), attempts: 1, body: { merchantId: merchant, livemode: false, events: [] } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    // No events, so no object is called and the message is done.
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m"]);
  });
});
