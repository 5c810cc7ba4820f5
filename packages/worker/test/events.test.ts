import { runInDurableObject } from "cloudflare:test";
import type { Event, List, Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  advanceClock,
  call,
  createMerchant,
  customerWith,
  expectProblem,
  liveKeyFor,
  plusDays,
  purchaseBody,
} from "./helpers";

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

    const data = events.map((e) => JSON.parse(e.object) as { object: Purchase | Refund; installment?: number });
    const purchaseIn = (k: number) => data[k]?.object as Purchase;
    const statuses = (k: number) => purchaseIn(k).installments.map((i) => i.status);
    expect(purchaseIn(0).status).toBe("requires_capture");
    expect(purchaseIn(1).status).toBe("active");
    // Each payment event shows the schedule as that payment left it, not as it is now.
    expect(statuses(2)).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
    expect(data[2]?.installment).toBe(1);
    expect(statuses(4)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    expect(data[5]?.object).toMatchObject({ object: "refund", id: refund.body.id, amount: 1000 });
  });

  it("are served newest first by GET /v1/events, filtered and paged, and by id", async () => {
    const { key, customer, card, merchant } = await customerWith("tok_visa");
    const start = "2027-05-03T08:00:00.000Z";
    await advanceClock(key, customer.id, start);
    const purchase = (await call<Purchase>("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) })).body;
    await advanceClock(key, customer.id, plusDays(start, 14));

    const all = await call<List<Event>>("/v1/events?limit=100", { key });
    expect(all.status).toBe(200);
    const types = all.body.data.map((e) => e.type);
    expect(types).toEqual(["installment.paid", "installment.reminder", "installment.paid", "purchase.created"]);
    const [latest] = all.body.data;
    expect(latest).toMatchObject({
      object: "event",
      customer: customer.id,
      purchase: purchase.id,
      livemode: false,
      created_at: plusDays(start, 14),
      data: { installment: 2, object: { id: purchase.id, object: "purchase" } },
    });

    const paid = await call<List<Event>>(`/v1/events?type=installment.paid&purchase=${purchase.id}&limit=1`, { key });
    expect(paid.body.data.map((e) => e.id)).toEqual([latest?.id]);
    expect(paid.body.has_more).toBe(true);
    const next = await call<List<Event>>(`/v1/events?type=installment.paid&limit=1&starting_after=${latest?.id}`, {
      key,
    });
    expect(next.body.data.map((e) => e.data.installment)).toEqual([1]);
    const since = await call<List<Event>>(`/v1/events?created[gte]=${plusDays(start, 1)}`, { key });
    expect(since.body.data).toHaveLength(2);

    const one = await call<Event>(`/v1/events/${latest?.id}`, { key });
    expect(one.body).toEqual(latest);
    // Another merchant never sees them.
    const other = await createMerchant("Other");
    await expectProblem(call(`/v1/events/${latest?.id}`, { key: other.secret_key }), 404, "not_found");
    expect((await call<List<Event>>("/v1/events", { key: other.secret_key })).body.data).toEqual([]);
    await expectProblem(call("/v1/events?type=purchase.exploded", { key }), 400, "validation_error");
    // Test-mode events never show in live mode.
    const live = await liveKeyFor(merchant.id);
    expect((await call<List<Event>>("/v1/events", { key: live })).body.data).toEqual([]);
    await expectProblem(call(`/v1/events/${latest?.id}`, { key: live }), 404, "not_found");
  });
});
