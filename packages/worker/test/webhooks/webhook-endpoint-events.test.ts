// Events about an endpoint (`webhook_endpoint.*`) reach the merchant's other endpoints through the
// queue like any event, once each under one id, even when the announcing alarm fails half-way.
import { env, runInDurableObject } from "cloudflare:test";
import type { Event } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { WebhookEndpointObject } from "../../src/webhooks/endpoint-object";
import type { EventBatch, EventQueue } from "../../src/webhooks/event-batch";
import { call } from "../helpers";
import { endpointStatus, endpointWith, event, Receiver, runNextAlarm, type Stub } from "./webhook-delivery-kit";
import { createEndpoint } from "./webhook-endpoints-kit";

async function listener(key: string) {
  const endpoint = await createEndpoint(key, {
    url: "http://localhost:8787/other",
    enabled_events: ["webhook_endpoint.disabled"],
  });
  const stub: Stub = env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpoint.id));
  const receiver = new Receiver([200]);
  await runInDurableObject(stub, (instance: WebhookEndpointObject) => {
    instance.transport = receiver.transport;
  });
  return { endpoint, stub, receiver };
}

const disabledEvents = async (key: string) =>
  (await call<{ data: Event[] }>("/v1/events?type=webhook_endpoint.disabled", { key })).body.data;

describe("webhook_endpoint events", () => {
  it("go to the merchant's other endpoints through the queue, under the id /v1/events shows", {
    timeout: 20_000,
  }, async () => {
    const gone = await endpointWith([410]);
    const other = await listener(gone.key);
    await gone.stub.enqueue(gone.endpoint.id, [event()]);
    await runNextAlarm(gone.stub, gone.receiver);
    expect(await endpointStatus(gone.endpoint.id)).toBe("disabled");

    // The queue's consumer runs on its own schedule: wait for the other endpoint to hold the event.
    let queued = 0;
    for (let i = 0; i < 100 && queued < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      queued = (await other.stub.deliveries({ limit: 10 })).data.length;
    }
    await runNextAlarm(other.stub, other.receiver);
    const [recorded] = await disabledEvents(gone.key);
    expect(other.receiver.received.map((r) => r.id)).toEqual([recorded?.id]);
    const body = JSON.parse(other.receiver.received[0]?.body ?? "{}");
    expect(body).toMatchObject({
      type: "webhook_endpoint.disabled",
      data: { reason: "gone", object: { id: gone.endpoint.id, object: "webhook_endpoint", status: "disabled" } },
    });
  });

  it("are announced again, as the same event, when the queue refused them; the endpoint is disabled only then", async () => {
    const gone = await endpointWith([410]);
    const sent: EventBatch[] = [];
    let refuse = true;
    const queue: EventQueue = {
      sendBatch: async (messages) => {
        if (refuse) throw new Error("queue unavailable");
        for (const m of messages) sent.push(m.body);
      },
    };
    await runInDurableObject(gone.stub, (instance: WebhookEndpointObject) => {
      instance.webhookEvents = queue;
    });
    await gone.stub.enqueue(gone.endpoint.id, [event()]);

    await expect(runNextAlarm(gone.stub, gone.receiver)).rejects.toThrow("queue unavailable");
    expect(await endpointStatus(gone.endpoint.id)).toBe("enabled");

    // The runtime retries a failed alarm: the delivery is sent again, told 410 again, and the event announced.
    refuse = false;
    await runNextAlarm(gone.stub, gone.receiver);
    expect(gone.receiver.received).toHaveLength(2);
    expect(await endpointStatus(gone.endpoint.id)).toBe("disabled");
    const recorded = await disabledEvents(gone.key);
    expect(recorded).toHaveLength(1);
    expect(sent.flatMap((b) => b.events.map((e) => e.id))).toEqual([recorded[0]?.id]);
    expect(sent[0]).toMatchObject({ merchantId: gone.merchant.id, livemode: false });
  });
});
