import { env, runInDurableObject } from "cloudflare:test";
import type { Problem, Purchase, Refund, TestClock } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  attachCard,
  call,
  createCustomer,
  createMerchant,
  createPurchase,
  expectProblem,
  purchaseBody,
} from "./helpers";

const DAY = 86_400_000;

async function setup() {
  const merchant = await createMerchant();
  const key = merchant.secret_key;
  const customer = await createCustomer(key);
  const card = await attachCard(key, customer.id, "tok_visa");
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
  return { key, customer, card, stub };
}

async function books(stub: DurableObjectStub) {
  return runInDurableObject(stub, (_i, state) => {
    const rows = state.storage.sql
      .exec<{ account: string; total: number }>("SELECT account, SUM(amount) AS total FROM ledger GROUP BY account")
      .toArray();
    const refunds = state.storage.sql
      .exec<{ call: string }>("SELECT call FROM processor_calls WHERE kind = 'refund' AND attempt = 1")
      .toArray()
      .map((r) => JSON.parse(r.call));
    return {
      balance: (account: string) => rows.find((r) => r.account === account)?.total ?? 0,
      total: rows.reduce((s, r) => s + r.total, 0),
      refunds,
    };
  });
}

const refund = (key: string, id: string, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  call<Refund>(`/v1/purchases/${id}/refunds`, { key, body, headers });

describe("refunds", () => {
  it("takes a partial refund off the last instalments first, without touching money paid", async () => {
    const { key, customer, card, stub } = await setup();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    const r = await refund(key, p.id, { amount: 3000, reason: "returned_goods" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ object: "refund", amount: 3000, cash_returned: 0, status: "succeeded" });

    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.instalments.map((i) => [i.status, i.amount])).toEqual([
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
    const { key, customer, card, stub } = await setup();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    await call<TestClock>(`/v1/test_helpers/customers/${customer.id}/advance_clock`, {
      key,
      body: { to: new Date(Date.parse(p.captured_at ?? "") + 15 * DAY).toISOString() },
    });
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
    expect(b.refunds.map((c) => c.request.amount)).toEqual([2500, 2500]);

    await expectProblem(refund(key, p.id, { amount: 1 }), 400, "validation_error");
  });

  it("never refunds more than was captured, and replays a retried refund", async () => {
    const { key, customer, card, stub } = await setup();
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
    const { key, customer, card } = await setup();
    const manual = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const problem: Problem = await expectProblem(refund(key, manual.id), 400, "invalid_state");
    expect(problem.detail).toContain("cancel");
    await call(`/v1/purchases/${manual.id}/cancel`, { key, method: "POST" });
    await expectProblem(refund(key, manual.id), 400, "invalid_state");
    const other = await createMerchant("Other");
    await expectProblem(refund(other.secret_key, manual.id), 404, "not_found");
  });
});
