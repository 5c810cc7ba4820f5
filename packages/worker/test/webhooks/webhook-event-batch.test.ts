import { describe, expect, it } from "vitest";
import type { DeliverableEvent } from "../../src/webhooks/deliverable";
import { type EventBatch, sendEvents } from "../../src/webhooks/event-batch";

/** How a flush's events are cut into queue messages within the Queues' size limits. */

const event = (i: number, bytes: number): DeliverableEvent => ({
  id: `evt_${i}`,
  type: "purchase.created",
  created_at: "2027-01-04T10:00:00.000Z",
  data: { padding: "x".repeat(bytes) },
});

function recorder() {
  const calls: EventBatch[][] = [];
  return {
    calls,
    queue: { sendBatch: async (m: Iterable<{ body: EventBatch }>) => void calls.push([...m].map((r) => r.body)) },
  };
}

const size = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe("webhook events: messages of a flush", () => {
  it("sends a command's few events as one message", async () => {
    const { calls, queue } = recorder();
    await sendEvents(queue, "mer_1", true, [event(1, 100), event(2, 100)]);
    expect(calls).toEqual([[{ merchantId: "mer_1", livemode: true, events: [event(1, 100), event(2, 100)] }]]);
  });

  it("cuts big flushes into messages under 128 KB and calls under 256 KB, keeping every event in order", async () => {
    const { calls, queue } = recorder();
    const events = Array.from({ length: 60 }, (_, i) => event(i, 9_000));
    await sendEvents(queue, "mer_1", false, events);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      expect(size(call)).toBeLessThan(256_000);
      for (const message of call) expect(size(message)).toBeLessThan(128_000);
    }
    expect(calls.flat().flatMap((m) => m.events.map((e) => e.id))).toEqual(events.map((e) => e.id));
  });

  it("sends an event whose body would pass 20 KB thin, as it will be delivered, so none is ever left out", async () => {
    const { calls, queue } = recorder();
    await sendEvents(queue, "mer_1", false, [event(1, 100), event(2, 21_000), event(3, 200_000), event(4, 100)]);
    const sent = calls.flat().flatMap((m) => m.events);
    expect(sent.map((e) => e.id)).toEqual(["evt_1", "evt_2", "evt_3", "evt_4"]);
    expect(sent.map((e) => e.data)).toEqual([
      event(1, 100).data,
      { id: "evt_2", truncated: true },
      { id: "evt_3", truncated: true },
      event(4, 100).data,
    ]);
  });
});
