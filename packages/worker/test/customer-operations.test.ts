import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  advanceClock,
  books,
  call,
  createPurchase,
  customerWith,
  expectProblem,
  plusDays,
  purchaseBody,
} from "./helpers";

describe("paying an installment early", () => {
  it("charges it now, once, and the due date later charges nothing", async () => {
    const { key, customer, card, stub } = await customerWith();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    const paid = await call<Purchase>(`/v1/purchases/${p.id}/installments/2/pay`, { key, method: "POST" });
    expect(paid.status).toBe(200);
    expect(paid.body.installments.map((i) => i.status)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    expect(paid.body.amount_outstanding).toBe(5000);

    const clock = await advanceClock(key, customer.id, plusDays(p.captured_at, 20));
    expect(clock.ran.filter((r) => r.type === "charge")).toEqual([]);
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

  it("racing the due alarm for the same installment, charges it once", async () => {
    const { key, customer, card, stub } = await customerWith();
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
    expect(after.installments[1]?.status).toBe("paid");
    const b = await books(stub);
    expect(b.successes.filter((k) => k.startsWith(`${p.id}:2:`))).toHaveLength(1);
    expect(b.balance("processor_clearing")).toBe(5000);
  });

  it("answers a declined payment with 402 and changes nothing", async () => {
    const { key, customer, card } = await customerWith("tok_insufficient_funds");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const problem = await expectProblem(
      call(`/v1/purchases/${p.id}/installments/1/pay`, { key, method: "POST" }),
      402,
      "payment_declined",
    );
    expect(problem.detail).toContain("insufficient_funds");
    expect((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body.installments[0]?.status).toBe("scheduled");
  });
});

describe("paying off", () => {
  it("settles everything owed and waives the interest of months not yet due", async () => {
    const { key, customer, card, stub } = await customerWith();
    const p = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { amount: 120000, plan: { type: "financing", months: 12, apr_bps: 1999 } }),
    );
    await advanceClock(key, customer.id, plusDays(p.captured_at, 40));
    const off = await call<Purchase>(`/v1/purchases/${p.id}/payoff`, { key, method: "POST" });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe("completed");
    expect(off.body.amount_outstanding).toBe(0);
    const firstInterest = p.installments[0]?.interest ?? 0;
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
  it("moves the installment and its charge, once, within bounds", async () => {
    const { key, customer, card } = await customerWith();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const due = p.installments[0]?.due_at;
    const url = `/v1/purchases/${p.id}/installments/1/extend`;
    await expectProblem(call(url, { key, body: { days: 15 } }), 400, "validation_error");
    await expectProblem(call(url, { key, body: {} }), 400, "validation_error");
    const moved = await call<Purchase>(url, { key, body: { days: 7 } });
    expect(moved.status).toBe(200);
    expect(moved.body.installments[0]?.due_at).toBe(plusDays(due, 7));
    await expectProblem(call(url, { key, body: { days: 1 } }), 400, "invalid_state");

    const before = await advanceClock(key, customer.id, plusDays(due, 1));
    expect(before.ran.filter((r) => r.type === "charge")).toEqual([]);
    const after = await advanceClock(key, customer.id, plusDays(due, 8));
    expect(after.ran.filter((r) => r.type === "charge").map((r) => r.at)).toEqual([plusDays(due, 7)]);
  });
});
