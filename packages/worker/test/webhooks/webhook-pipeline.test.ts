import { type Event, verifyWebhook } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { attachCard, call, createCustomer, createPurchase, purchaseBody } from "../helpers";
import { endpointWith, runNextAlarm } from "./webhook-delivery-kit";

/**
 * The whole path, as a merchant meets it: a purchase in a customer's object, its events copied
 * out by the projection, the queue's consumer handing them to the subscribed endpoint's object,
 * and that object's alarm delivering each, signed, to the receiver.
 */
describe("webhooks end to end", () => {
  it("delivers the subscribed events of a purchase to its endpoint, signed, once each", {
    timeout: 20_000,
  }, async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([200]);
    const customer = await createCustomer(key);
    const card = await attachCard(key, customer.id);
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));

    // The queue's consumer runs on its own schedule (max_batch_timeout): wait for the endpoint to hold them.
    // It subscribes to installment.paid and installment.failed: purchase.created is not for it.
    let queued = 0;
    for (let i = 0; i < 100 && queued < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      queued = (await stub.deliveries({ limit: 100 })).data.length;
    }
    expect(queued).toBe(1);
    await runNextAlarm(stub, receiver);

    const secret = endpoint.secret;
    const bodies = await Promise.all(
      receiver.received.map(async (r) => {
        const headers = {
          "webhook-id": r.id,
          "webhook-timestamp": String(r.timestamp),
          "webhook-signature": r.signature,
        };
        // The receiver's clock is the object's (a year ahead, so alarms wait for the test).
        const payload = await verifyWebhook(r.body, headers, secret, { now: r.timestamp });
        return payload as { type: string; data: { object: { id: string } } };
      }),
    );
    expect(bodies.map((b) => [b.type, b.data.object.id])).toEqual([["installment.paid", purchase.id]]);
    // The webhook-id is the event's id in /v1/events.
    const [delivered] = receiver.received;
    const event = await call<Event>(`/v1/events/${delivered?.id}`, { key });
    expect(event.body).toMatchObject({ type: "installment.paid", purchase: purchase.id });
  });
});
