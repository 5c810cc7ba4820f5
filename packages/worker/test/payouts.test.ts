import { runInDurableObject } from "cloudflare:test";
import type { Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { IntentRow } from "../src/objects/customer/storage/rows";
import { advanceClock, books, call, customerWith, plusDays, purchaseBody } from "./helpers";

const HOUR = 1 / 24;

/** A pay-in-4 purchase of 12,000 whose first two parts are paid, refunded in full. */
async function refunded(token: string) {
  const s = await customerWith(token);
  const start = "2027-02-01T09:00:00.000Z";
  await advanceClock(s.key, s.customer.id, start);
  const purchase = await call<Purchase>("/v1/purchases", { key: s.key, body: purchaseBody(s.customer.id, s.card.id) });
  await advanceClock(s.key, s.customer.id, plusDays(start, 14));
  const refund = await call<Refund>(`/v1/purchases/${purchase.body.id}/refunds`, { key: s.key, body: {} });
  expect(refund.status).toBe(201);
  return { ...s, start: plusDays(start, 14), purchase: purchase.body, refund: refund.body };
}

/** The refund, its payouts and its events as the customer's object holds them. */
function stored(stub: DurableObjectStub, refundId: string) {
  return runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    return {
      refund: sql.exec<{ status: string; cash_returned: number }>("SELECT * FROM refunds WHERE id = ?", refundId).one(),
      payouts: sql
        .exec<IntentRow & Record<string, SqlStorageValue>>(
          "SELECT * FROM intents WHERE refund_id = ? ORDER BY id",
          refundId,
        )
        .toArray(),
      events: sql
        .exec<{ type: string }>("SELECT type FROM events WHERE type LIKE 'refund.%' ORDER BY id")
        .toArray()
        .map((e) => e.type),
    };
  });
}

/** No payout stays pending without the alarm's next attempt set for it. */
function expectScheduled(payouts: IntentRow[]) {
  for (const p of payouts) if (p.status === "pending") expect(p.next_at, p.id).toEqual(expect.any(String));
}

describe("refund payouts the processor fails", () => {
  it("are retried by the alarm under the same key until they succeed", async () => {
    const { key, customer, stub, start, refund } = await refunded("tok_refund_succeed_after_3");
    // Two paid parts of 3,000 go back as two payouts; the card refuses its first three refunds.
    expect(refund).toMatchObject({ amount: 12_000, cash_returned: 0, status: "pending" });
    let now = await stored(stub, refund.id);
    expect(now.payouts.map((p) => [p.status, p.attempts, p.failure])).toEqual([
      ["pending", 1, "processor_error"],
      ["pending", 1, "processor_error"],
    ]);
    expectScheduled(now.payouts);
    expect(now.payouts.map((p) => p.next_at)).toEqual([plusDays(start, HOUR), plusDays(start, HOUR)]);
    expect((await books(stub)).balance("customer_credit")).toBe(-6_000);

    // One hour later the second attempts: the card's third refund fails, its fourth succeeds.
    const first = await advanceClock(key, customer.id, plusDays(start, 2 * HOUR));
    expect(first.ran.filter((r) => r.type === "payment").map((r) => r.outcome)).toEqual([
      "payout pending",
      "payout succeeded",
    ]);
    now = await stored(stub, refund.id);
    expectScheduled(now.payouts);
    expect(now.refund).toMatchObject({ status: "pending", cash_returned: 3_000 });

    await advanceClock(key, customer.id, plusDays(start, 7 * HOUR));
    now = await stored(stub, refund.id);
    expect(now.refund).toMatchObject({ status: "succeeded", cash_returned: 6_000 });
    expect(now.events).toEqual(["refund.created", "refund.succeeded"]);
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_credit")).toBe(0);
    // The processor paid each payout once, under its one key, whatever the attempts.
    expect(b.refunds.map((r) => [r.idempotencyKey, r.amount]).sort()).toEqual([
      [`${refund.id}:1`, 3_000],
      [`${refund.id}:2`, 3_000],
    ]);
  });

  it("end failed, with an event, when the processor refuses for good", async () => {
    const { stub, refund } = await refunded("tok_refund_fails");
    expect(refund).toMatchObject({ cash_returned: 0, status: "failed" });
    const now = await stored(stub, refund.id);
    expect(now.payouts.map((p) => [p.status, p.next_at, p.failure])).toEqual([
      ["failed", null, "refund_declined"],
      ["failed", null, "refund_declined"],
    ]);
    expect(now.events).toEqual(["refund.created", "refund.failed"]);
    // The cash stays owed to the customer, on the books.
    expect((await books(stub)).balance("customer_credit")).toBe(-6_000);
  });

  it("end failed after the last retry hour, and nothing stays scheduled", async () => {
    // The card refuses nine refunds: payout 1 fails all five of its attempts, payout 2 pays on its fifth.
    const { key, customer, stub, start, refund } = await refunded("tok_refund_succeed_after_9");
    for (const hours of [1, 6, 24, 72]) {
      await advanceClock(key, customer.id, plusDays(start, (hours + 0.5) * HOUR));
      expectScheduled((await stored(stub, refund.id)).payouts);
    }
    const now = await stored(stub, refund.id);
    expect(now.refund).toMatchObject({ status: "failed", cash_returned: 3_000 });
    expect(now.payouts.map((p) => [p.status, p.attempts, p.next_at])).toEqual([
      ["failed", 5, null],
      ["succeeded", 5, null],
    ]);
    expect(now.events).toEqual(["refund.created", "refund.failed"]);
    const b = await books(stub);
    expect(b.refunds.map((r) => r.idempotencyKey)).toEqual([`${refund.id}:2`]);
    expect(b.balance("customer_credit")).toBe(-3_000);
    expect(b.total).toBe(0);
  });
});
