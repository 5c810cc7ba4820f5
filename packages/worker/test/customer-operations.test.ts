import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase, TestClock } from "@tranche/shared";
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
const plus = (iso: string | null | undefined, days: number) =>
  new Date(Date.parse(iso ?? "") + days * DAY).toISOString();

async function setup(token = "tok_visa") {
  const merchant = await createMerchant();
  const key = merchant.secret_key;
  const customer = await createCustomer(key);
  const card = await attachCard(key, customer.id, token);
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
  return { key, customer, card, stub };
}

const advance = (key: string, customer: string, to: string) =>
  call<TestClock>(`/v1/test_helpers/customers/${customer}/advance_clock`, { key, body: { to } });

async function books(stub: DurableObjectStub) {
  return runInDurableObject(stub, (_i, state) => {
    const sql = state.storage.sql;
    const rows = sql
      .exec<{ account: string; total: number }>("SELECT account, SUM(amount) AS total FROM ledger GROUP BY account")
      .toArray();
    const successes = sql
      .exec<{ call: string }>("SELECT call FROM processor_calls WHERE kind = 'charge' AND attempt = 1")
      .toArray()
      .map((r) => JSON.parse(r.call))
      .filter((c) => c.result.status === "succeeded")
      .map((c) => c.request.idempotencyKey as string);
    return {
      balance: (account: string) => rows.find((r) => r.account === account)?.total ?? 0,
      total: rows.reduce((s, r) => s + r.total, 0),
      successes,
    };
  });
}

describe("paying an instalment early", () => {
  it("charges it now, once, and the due date later charges nothing", async () => {
    const { key, customer, card, stub } = await setup();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    const paid = await call<Purchase>(`/v1/purchases/${p.id}/installments/2/pay`, { key, method: "POST" });
    expect(paid.status).toBe(200);
    expect(paid.body.instalments.map((i) => i.status)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    expect(paid.body.amount_outstanding).toBe(5000);

    const clock = await advance(key, customer.id, plus(p.captured_at, 20));
    expect(clock.body.ran.filter((r) => r.type === "charge")).toEqual([]);
    await expectProblem(
      call(`/v1/purchases/${p.id}/installments/2/pay`, { key, method: "POST" }),
      400,
      "invalid_state",
    );
    await expectProblem(call(`/v1/purchases/${p.id}/installments/9/pay`, { key, method: "POST" }), 404, "not_found");
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(5000);
    expect(b.successes.filter((k) => k.startsWith(`${p.id}:2:`))).toHaveLength(1);
  });

  it("racing the due alarm for the same instalment, charges it once", async () => {
    const { key, customer, card, stub } = await setup();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(
        "UPDATE actions SET at = ? WHERE purchase_id = ? AND number = 2 AND type = 'charge'",
        new Date(Date.now() - 1000).toISOString(),
        p.id,
      );
    });
    const [early] = await Promise.all([
      call<Purchase>(`/v1/purchases/${p.id}/installments/2/pay`, { key, method: "POST" }),
      runDurableObjectAlarm(stub),
    ]);
    // Whichever ran second found it paid: the payment either succeeded or was refused as already paid.
    expect([200, 400]).toContain(early.status);
    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.instalments[1]?.status).toBe("paid");
    const b = await books(stub);
    expect(b.successes.filter((k) => k.startsWith(`${p.id}:2:`))).toHaveLength(1);
    expect(b.balance("processor_clearing")).toBe(5000);
  });

  it("answers a declined payment with 402 and changes nothing", async () => {
    const { key, customer, card } = await setup("tok_insufficient_funds");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const problem = await expectProblem(
      call(`/v1/purchases/${p.id}/installments/1/pay`, { key, method: "POST" }),
      402,
      "payment_declined",
    );
    expect(problem.detail).toContain("insufficient_funds");
    expect((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body.instalments[0]?.status).toBe("scheduled");
  });
});

describe("paying off", () => {
  it("settles everything owed and waives the interest of months not yet due", async () => {
    const { key, customer, card, stub } = await setup();
    const p = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { amount: 120000, plan: { type: "financing", months: 12, apr_bps: 1999 } }),
    );
    await advance(key, customer.id, plus(p.captured_at, 40));
    const off = await call<Purchase>(`/v1/purchases/${p.id}/payoff`, { key, method: "POST" });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe("completed");
    expect(off.body.amount_outstanding).toBe(0);
    const firstInterest = p.instalments[0]?.interest ?? 0;
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(0);
    expect(b.balance("unearned_interest")).toBe(0);
    expect(b.balance("interest_income")).toBe(-firstInterest);
    expect(b.balance("processor_clearing")).toBe(120000 + firstInterest);
    await expectProblem(call(`/v1/purchases/${p.id}/payoff`, { key, method: "POST" }), 400, "invalid_state");
  });
});

describe("extending a due date", () => {
  it("moves the instalment and its charge, once, within bounds", async () => {
    const { key, customer, card } = await setup();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const due = p.instalments[0]?.due_at;
    const url = `/v1/purchases/${p.id}/installments/1/extend`;
    await expectProblem(call(url, { key, body: { days: 15 } }), 400, "validation_error");
    await expectProblem(call(url, { key, body: {} }), 400, "validation_error");
    const moved = await call<Purchase>(url, { key, body: { days: 7 } });
    expect(moved.status).toBe(200);
    expect(moved.body.instalments[0]?.due_at).toBe(plus(due, 7));
    await expectProblem(call(url, { key, body: { days: 1 } }), 400, "invalid_state");

    const before = await advance(key, customer.id, plus(due, 1));
    expect(before.body.ran.filter((r) => r.type === "charge")).toEqual([]);
    const after = await advance(key, customer.id, plus(due, 8));
    expect(after.body.ran.filter((r) => r.type === "charge").map((r) => r.at)).toEqual([plus(due, 7)]);
  });
});
