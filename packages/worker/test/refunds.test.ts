import type { Problem, Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  advanceClock,
  books,
  call,
  createMerchant,
  createPurchase,
  customerWith,
  expectProblem,
  plusDays,
  purchaseBody,
} from "./helpers";

const refund = (key: string, id: string, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  call<Refund>(`/v1/purchases/${id}/refunds`, { key, body, headers });

describe("refunds", () => {
  it("takes a partial refund off the last installments first, without touching money paid", async () => {
    const { key, customer, card, stub } = await customerWith();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    const r = await refund(key, p.id, { amount: 3000, reason: "returned_goods" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ object: "refund", amount: 3000, cash_returned: 0, status: "succeeded" });

    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.installments.map((i) => [i.status, i.amount])).toEqual([
      ["paid", 2500],
      ["scheduled", 2500],
      ["scheduled", 2000],
      ["refunded", 2500],
    ]);
    expect(after.amount_outstanding).toBe(4500);
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(4500);
    expect(b.balance("merchant_payable")).toBe(-7000);
    expect(b.refunds).toEqual([]);
  });

  it("gives collected money back through the processor once nothing is owed", async () => {
    const { key, customer, card, stub } = await customerWith();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    await advanceClock(key, customer.id, plusDays(p.captured_at, 15));
    const r = await refund(key, p.id);
    expect(r.body).toMatchObject({ amount: 10000, cash_returned: 5000, status: "succeeded" });

    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.status).toBe("refunded");
    expect(after.amount_outstanding).toBe(0);
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(0);
    expect(b.balance("merchant_payable")).toBe(0);
    expect(b.balance("customer_credit")).toBe(0);
    expect(b.balance("processor_clearing")).toBe(0);
    expect(b.refunds.map((r) => r.amount)).toEqual([2500, 2500]);

    await expectProblem(refund(key, p.id, { amount: 1 }), 400, "validation_error");
  });

  it("never refunds more than was captured, and replays a retried refund", async () => {
    const { key, customer, card, stub } = await customerWith();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    const tooMuch = await expectProblem(refund(key, p.id, { amount: 10001 }), 400, "validation_error");
    expect(tooMuch.detail).toContain("exceeds");
    await expectProblem(refund(key, p.id, { amount: 0 }), 400, "validation_error");
    await expectProblem(refund(key, p.id, { amount: 10, extra: true }), 400, "validation_error");

    const headers = { "Idempotency-Key": "refund-1" };
    const first = await refund(key, p.id, { amount: 9000 }, headers);
    const again = await refund(key, p.id, { amount: 9000 }, headers);
    expect(again.body).toEqual(first.body);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await books(stub)).balance("merchant_payable")).toBe(-1000);
  });

  it("refuses refunds of uncaptured or cancelled purchases, and other merchants' purchases", async () => {
    const { key, customer, card } = await customerWith();
    const manual = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const problem: Problem = await expectProblem(refund(key, manual.id), 400, "invalid_state");
    expect(problem.detail).toContain("cancel");
    await call(`/v1/purchases/${manual.id}/cancel`, { key, method: "POST" });
    await expectProblem(refund(key, manual.id), 400, "invalid_state");
    const other = await createMerchant("Other");
    await expectProblem(refund(other.secret_key, manual.id), 404, "not_found");
  });
});
