import { runInDurableObject } from "cloudflare:test";
import type { Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { advanceClock, call, customerWith, plusDays, purchaseBody } from "./helpers";

interface StoredEvent {
  event_id: string;
  type: string;
  number: number | null;
  object: string;
}

describe("events in the customer's object", () => {
  it("records every change with a public id and the object as that change left it", async () => {
    const { key, customer, card, stub } = await customerWith("tok_visa");
    const start = "2027-04-01T08:00:00.000Z";
    await advanceClock(key, customer.id, start);
    const created = await call<Purchase>("/v1/purchases", {
      key,
      body: purchaseBody(customer.id, card.id, { capture: "manual" }),
    });
    const id = created.body.id;
    await call(`/v1/purchases/${id}/capture`, { key, method: "POST" });
    await advanceClock(key, customer.id, plusDays(start, 14));
    const refund = await call<Refund>(`/v1/purchases/${id}/refunds`, { key, body: { amount: 1000 } });
    expect(refund.status).toBe(201);

    const events = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql
        .exec<StoredEvent & Record<string, SqlStorageValue>>(
          "SELECT event_id, type, number, object FROM events ORDER BY id",
        )
        .toArray(),
    );
    expect(events.map((e) => [e.type, e.number])).toEqual([
      ["purchase.created", null],
      ["purchase.captured", null],
      ["installment.paid", 1],
      ["installment.reminder", 2],
      ["installment.paid", 2],
      ["refund.created", null],
    ]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    for (const e of events) expect(e.event_id).toMatch(/^evt_[0-9A-Z]{26}$/);

    const data = events.map((e) => JSON.parse(e.object) as { object: Purchase & Refund; installment?: number });
    const statuses = (k: number) => data[k]?.object.installments.map((i) => i.status);
    expect(data[0]?.object.status).toBe("requires_capture");
    expect(data[1]?.object.status).toBe("active");
    // Each payment event shows the schedule as that payment left it, not as it is now.
    expect(statuses(2)).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
    expect(data[2]?.installment).toBe(1);
    expect(statuses(4)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    expect(data[5]?.object).toMatchObject({ object: "refund", id: refund.body.id, amount: 1000 });
  });
});
