import type { List, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { advanceClock, call, createPurchase, customerWith, plusDays, purchaseBody } from "./helpers";

/** What a purchase shows of its installments' past (issue 20): when each was paid, and every charge made for it. */

const retrieve = async (key: string, id: string) => (await call<Purchase>(`/v1/purchases/${id}`, { key })).body;

describe("an installment's paid_at and attempts", () => {
  it("show the charge at checkout, and nothing on installments not charged yet", async () => {
    const { key, customer, card } = await customerWith("tok_visa");
    await advanceClock(key, customer.id, "2027-03-01T10:00:00.000Z");
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));
    const [first, second] = purchase.installments;
    expect(first).toMatchObject({ status: "paid", paid_at: purchase.created_at });
    expect(first?.attempts).toEqual([
      { type: "scheduled", attempted_at: purchase.created_at, amount: 3000, outcome: "succeeded", failure_code: null },
    ]);
    expect(second).toMatchObject({ status: "scheduled", paid_at: null, attempts: [] });
  });

  it("show a declined charge, a declined payment of the customer's and the retry that paid, in D1 as in the object", async () => {
    // The card declines its first two charges.
    const { key, customer, card } = await customerWith("tok_succeed_after_2");
    const start = "2027-03-01T10:00:00.000Z";
    await advanceClock(key, customer.id, start);
    const later = { amount: 5000, plan: { type: "pay_later", days: 14 } };
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id, later));
    const due = purchase.installments[0]?.due_at ?? "";
    expect(purchase.installments[0]).toMatchObject({ paid_at: null, attempts: [] });

    // Declined on its due date; the customer then tries to pay it, declined too.
    await advanceClock(key, customer.id, plusDays(due, 0.5));
    const pay = await call(`/v1/purchases/${purchase.id}/installments/1/pay`, { key, method: "POST" });
    expect(pay.status).toBe(402);
    const declined = (await retrieve(key, purchase.id)).installments[0];
    expect(declined).toMatchObject({ status: "failed", paid_at: null });
    expect(declined?.attempts).toEqual([
      { type: "scheduled", attempted_at: due, amount: 5000, outcome: "failed", failure_code: expect.any(String) },
      {
        type: "customer",
        attempted_at: plusDays(due, 0.5),
        amount: 5000,
        outcome: "failed",
        failure_code: expect.any(String),
      },
    ]);
    const listedDeclined = await call<List<Purchase>>(`/v1/purchases?customer=${customer.id}`, { key });
    expect(listedDeclined.body.data[0]?.installments[0]).toEqual(declined);

    // Dunning's first retry, a day after the due date, pays it.
    await advanceClock(key, customer.id, plusDays(due, 2));
    const paid = await retrieve(key, purchase.id);
    const retried = plusDays(due, 1);
    expect(paid.installments[0]).toMatchObject({ status: "paid", paid_at: retried });
    expect(paid.installments[0]?.attempts.map((a) => [a.type, a.attempted_at, a.outcome])).toEqual([
      ["scheduled", due, "failed"],
      ["customer", plusDays(due, 0.5), "failed"],
      ["scheduled", retried, "succeeded"],
    ]);
    const listed = await call<List<Purchase>>(`/v1/purchases?customer=${customer.id}`, { key });
    expect(listed.body.data).toEqual([paid]);
  });
});
