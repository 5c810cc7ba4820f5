import { createMessageBatch, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../../src/objects/customer";
import type { DeliverableEvent } from "../../src/webhooks/deliverable";
import type { EventBatch } from "../../src/webhooks/event-batch";
import { fanOut } from "../../src/webhooks/fan-out";
import { call, customerWith, purchaseBody } from "../helpers";
import { createEndpoint } from "./webhook-endpoints-kit";

/**
 * The customer objects' side of the fan-out: what a command's events put on the webhook events
 * queue, and that a send lost to a crash is made again. The queue is replaced in the object by a
 * recorder, which can also refuse or lose the reply of the next sends.
 */

interface Recorder {
  sent: EventBatch[];
  /** Sends refused outright, before the queue takes them. */
  refuse: number;
  /** Sends the queue takes but whose answer never reaches the object (it dies first). */
  lose: number;
}

async function recordQueue(stub: DurableObjectStub): Promise<Recorder> {
  const customerObject = stub as DurableObjectStub<CustomerObject>;
  const recorder: Recorder = { sent: [], refuse: 0, lose: 0 };
  await runInDurableObject(customerObject, (instance) => {
    instance.webhookEvents = {
      sendBatch: async (messages) => {
        if (recorder.refuse > 0) {
          recorder.refuse -= 1;
          throw new Error("queue unavailable");
        }
        recorder.sent.push(...[...messages].map((m) => m.body));
        if (recorder.lose > 0) {
          recorder.lose -= 1;
          throw new Error("the object died before the send's answer");
        }
      },
    };
  });
  return recorder;
}

/** The public ids of a customer's events as D1 holds them, in order. */
async function eventIdsInD1(customerId: string) {
  const rows = await env.DB.prepare("SELECT event_id FROM events WHERE customer_id = ? ORDER BY event_id")
    .bind(customerId)
    .all<{ event_id: string }>();
  return rows.results.map((r) => r.event_id);
}

async function purchase(s: Awaited<ReturnType<typeof customerWith>>) {
  const res = await call<Purchase>("/v1/purchases", { key: s.key, body: purchaseBody(s.customer.id, s.card.id) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const ids = (events: DeliverableEvent[]) => events.map((e) => e.id);

describe("webhook fan-out: the customer objects' events reach the queue", () => {
  it("sends a purchase's events as one message of its merchant and mode, with the data /v1/events shows", async () => {
    const s = await customerWith();
    const recorder = await recordQueue(s.stub);
    const p = await purchase(s);

    const [message, ...others] = recorder.sent;
    if (!message) throw new Error("nothing was sent");
    expect(others).toEqual([]);
    expect(message.merchantId).toBe(s.merchant.id);
    expect(message.livemode).toBe(false);
    expect(ids(message.events)).toEqual(await eventIdsInD1(s.customer.id));
    const created = message.events.find((e) => e.type === "purchase.created");
    if (!created) throw new Error("no purchase.created event");
    const served = await call<{ type: string; created_at: string; data: unknown }>(`/v1/events/${created.id}`, {
      key: s.key,
    });
    expect(served.status).toBe(200);
    const { type, created_at, data } = served.body;
    expect(created).toEqual({ id: created.id, type, created_at, data });
    expect(data).toMatchObject({ object: { id: p.id } });
  });

  it("sends nothing when a flush has no events", async () => {
    const s = await customerWith();
    const recorder = await recordQueue(s.stub);
    // Adding a card changes no purchase and records no event.
    const card = await call(`/v1/customers/${s.customer.id}/payment_methods`, {
      key: s.key,
      body: { token: "tok_visa" },
    });
    expect(card.status).toBe(201);
    await runDurableObjectAlarm(s.stub);
    expect(recorder.sent).toEqual([]);
  });

  it("re-sends after a crash between the D1 copy and the queue send, and the endpoint dedupes by event id", async () => {
    const s = await customerWith();
    const recorder = await recordQueue(s.stub);
    recorder.refuse = 1;
    await purchase(s);
    // D1 has the events, the queue has nothing: the projection stays pending, so the alarm is armed.
    const inD1 = await eventIdsInD1(s.customer.id);
    expect(inD1.length).toBeGreaterThan(0);
    expect(recorder.sent).toEqual([]);

    // The queue takes the retry, but its answer is lost: the next retry sends the same events again.
    recorder.lose = 1;
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect(recorder.sent).toHaveLength(2);
    expect(ids(recorder.sent[1]?.events ?? [])).toEqual(ids(recorder.sent[0]?.events ?? []));
    // Delivered: nothing is pending, so another alarm sends nothing.
    await runDurableObjectAlarm(s.stub);
    expect(recorder.sent).toHaveLength(2);

    // Both copies through the consumer to an endpoint that keeps each event id once, as the endpoint object does.
    const endpoint = await createEndpoint(s.key, { enabled_events: ["*"] });
    const kept = new Set<string>();
    let handed = 0;
    const messages = recorder.sent.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body }));
    for (const m of messages) {
      await fanOut(createMessageBatch("tranche-webhook-events", [m]), {
        db: env.DB,
        enqueue: async (endpointId, events) => {
          expect(endpointId).toBe(endpoint.id);
          handed += events.length;
          for (const e of events) kept.add(e.id);
          return { accepted: events.length };
        },
      });
    }
    expect(handed).toBe(2 * inD1.length);
    expect([...kept].sort()).toEqual(inD1);
  });
});
