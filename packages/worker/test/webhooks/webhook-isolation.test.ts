// One endpoint's trouble is its own: while its receiver hangs, another endpoint of the same
// merchant gets the same event at its first attempt, and the payment path answers as usual.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { WebhookEndpointObject } from "../../src/webhooks/endpoint-object";
import { attachCard, call, createCustomer, purchaseBody } from "../helpers";
import { type Answer, endpointWith, Receiver, runNextAlarm, type Stub } from "./webhook-delivery-kit";
import { createEndpoint } from "./webhook-endpoints-kit";

/** Waits for the queue's consumer (its own schedule) to hand `count` events to the endpoint's object. */
async function queued(stub: Stub, count: number) {
  let held = 0;
  for (let i = 0; i < 100 && held < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    held = (await stub.deliveries({ limit: 100 })).data.length;
  }
  expect(held).toBe(count);
}

describe("webhook endpoints are isolated", () => {
  it("delivers to a healthy endpoint and creates purchases while another endpoint's receiver hangs", {
    timeout: 30_000,
  }, async () => {
    let released = false;
    // Hangs until the test releases it, as a receiver that never answers until the 15 s cut-off. It
    // polls a flag: a promise settled from the test's context could not be awaited in the object's.
    const hang: Answer = async () => {
      while (!released) await new Promise((resolve) => setTimeout(resolve, 10));
      throw new DOMException("timed out", "TimeoutError");
    };
    const stuck = await endpointWith([hang]);
    const healthyEndpoint = await createEndpoint(stuck.key, { url: "http://localhost:8787/healthy" });
    const healthy = {
      stub: env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(healthyEndpoint.id)),
      receiver: new Receiver([200]),
    };
    await runInDurableObject(healthy.stub, (instance: WebhookEndpointObject) => {
      instance.transport = healthy.receiver.transport;
    });

    const customer = await createCustomer(stuck.key);
    const card = await attachCard(stuck.key, customer.id);
    const first = await call(`/v1/purchases`, { key: stuck.key, body: purchaseBody(customer.id, card.id) });
    expect(first.status).toBe(201);
    await queued(stuck.stub, 1);
    await queued(healthy.stub, 1);

    const hanging = runNextAlarm(stuck.stub, stuck.receiver);
    // The stuck receiver has the request and has not answered.
    for (let i = 0; i < 50 && stuck.receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stuck.receiver.received).toHaveLength(1);

    await runNextAlarm(healthy.stub, healthy.receiver);
    expect(healthy.receiver.received.map((r) => r.id)).toEqual(stuck.receiver.received.map((r) => r.id));
    expect((await healthy.stub.deliveries({ limit: 1 })).data[0]?.status).toBe("succeeded");
    const second = await call(`/v1/purchases`, { key: stuck.key, body: purchaseBody(customer.id, card.id) });
    expect(second.status).toBe(201);

    released = true;
    await hanging;
    const log = (await stuck.stub.deliveries({ limit: 1 })).data[0];
    expect(log).toMatchObject({ status: "pending", attempts: [expect.objectContaining({ status_code: null })] });
  });
});
