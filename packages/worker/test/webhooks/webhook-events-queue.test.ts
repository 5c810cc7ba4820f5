import { createMessageBatch, env, runDurableObjectAlarm } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { streamObjects } from "../../src/events/stream-objects";
import type { DeliverableEvent } from "../../src/webhooks/deliverable";
import type { EventBatch } from "../../src/webhooks/event-batch";
import { fanOut } from "../../src/webhooks/fan-out";
import { call, customerWith, purchaseBody } from "../helpers";
import { consume, recorder, recordProjection } from "../projection/kit";
import { fromEveryShard } from "../read-model-db";
import { createEndpoint } from "./webhook-endpoints-kit";

/**
 * The events' way to the webhook events queue: a customer object hands them to the projection
 * queue, whose consumer writes them to D1 and then sends them on; a send lost to a crash is made
 * again. The object's projection queue is recorded and its messages consumed here, with the webhook
 * events queue replaced by a recorder, which can also refuse or lose the reply of the next sends.
 */

/** The public ids of a customer's events as D1 holds them, in order. */
async function eventIdsInD1(customerId: string) {
  const rows = await fromEveryShard<{ event_id: string }>(
    "SELECT event_id FROM events WHERE customer_id = ? ORDER BY event_id",
    customerId,
  );
  return rows.map((r) => r.event_id);
}

/** A customer whose projection the test carries to D1 itself. */
async function recorded() {
  const s = await customerWith();
  const { stub, queue } = await recordProjection(s.merchant.id, s.customer.id);
  return { ...s, stub, projection: queue };
}

async function purchase(s: Awaited<ReturnType<typeof recorded>>) {
  const res = await call<Purchase>("/v1/purchases", { key: s.key, body: purchaseBody(s.customer.id, s.card.id) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await s.stub.readModelLag(); // its push has run
  return res.body;
}

const ids = (events: DeliverableEvent[]) => events.map((e) => e.id);

describe("webhook fan-out: the customer objects' events reach the queue once D1 has them", () => {
  it("sends a purchase's events as one message of its merchant and mode, with the data /v1/events shows", async () => {
    const s = await recorded();
    const p = await purchase(s);
    const webhooks = recorder<EventBatch>();
    expect(await consume(s.projection.sent, webhooks)).toBe("acked");

    const [message, ...others] = webhooks.sent;
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
    const s = await recorded();
    // Adding a card changes no purchase and records no event.
    const card = await call(`/v1/customers/${s.customer.id}/payment_methods`, {
      key: s.key,
      body: { token: "tok_visa" },
    });
    expect(card.status).toBe(201);
    await runDurableObjectAlarm(s.stub);
    const webhooks = recorder<EventBatch>();
    if (s.projection.sent.length > 0) expect(await consume(s.projection.sent, webhooks)).toBe("acked");
    expect(webhooks.sent).toEqual([]);
  });

  it("re-sends after a crash between the D1 copy and the queue send, and the endpoint dedupes by event id", async () => {
    const s = await recorded();
    await purchase(s);
    const webhooks = recorder<EventBatch>();
    webhooks.refuse = 1;
    // D1 has the events, the webhook queue has nothing: the batch is retried.
    expect(await consume(s.projection.sent, webhooks)).toBe("retried");
    const inD1 = await eventIdsInD1(s.customer.id);
    expect(inD1.length).toBeGreaterThan(0);
    expect(webhooks.sent).toEqual([]);

    // The queue takes the retry, but its answer is lost: the next retry sends the same events again.
    webhooks.lose = 1;
    expect(await consume(s.projection.sent, webhooks)).toBe("retried");
    expect(await consume(s.projection.sent, webhooks)).toBe("acked");
    expect(webhooks.sent).toHaveLength(2);
    expect(ids(webhooks.sent[1]?.events ?? [])).toEqual(ids(webhooks.sent[0]?.events ?? []));
    // Delivered: D1 lacks nothing of the customer, so nothing is sent again.
    expect(await s.stub.readModelLag()).toEqual({ missing: 0, unsent: false });

    // Both copies through the consumer to an endpoint that keeps each event id once, as the endpoint object does.
    const endpoint = await createEndpoint(s.key, { enabled_events: ["*"] });
    const kept = new Set<string>();
    let handed = 0;
    const messages = webhooks.sent.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body }));
    for (const m of messages) {
      await fanOut(createMessageBatch("tranche-webhook-events", [m]), {
        db: env.DB,
        stream: streamObjects(env),
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
