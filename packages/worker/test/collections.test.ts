import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../src/objects/customer";
import {
  advanceClock,
  books,
  call,
  createMerchant,
  createPurchase,
  customerWith,
  DAY,
  expectProblem,
  fallDueNow,
  plusDays,
  purchaseBody,
} from "./helpers";

describe("the schedule runs itself (test clock)", () => {
  it("collects pay in 4 part by part and closes the books at zero", async () => {
    const { key, customer, card, stub } = await customerWith("tok_visa");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10001 }));
    expect(p.installments.map((i) => i.status)).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);

    const step = await advanceClock(key, customer.id, plusDays(p.captured_at, 15));
    expect(step.ran.filter((r) => r.type === "charge")).toEqual([
      expect.objectContaining({ purchase: p.id, installment: 2, outcome: "paid", at: p.installments[1]?.due_at }),
    ]);
    const end = await advanceClock(key, customer.id, plusDays(p.captured_at, 60));
    expect(end.ran.filter((r) => r.type === "charge").map((r) => r.installment)).toEqual([3, 4]);
    const reminders = end.ran.filter((r) => r.type === "reminder");
    expect(reminders.map((r) => r.installment)).toEqual([3, 4]);
    // COLLECTIONS_POLICY in the test config sets reminders 2 days ahead.
    expect(reminders.map((r) => r.at)).toEqual([2, 3].map((k) => plusDays(p.installments[k]?.due_at ?? null, -2)));

    const done = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(done.status).toBe("completed");
    expect(done.amount_outstanding).toBe(0);
    const { balance, total, successes } = await books(stub);
    expect(total).toBe(0);
    expect(balance("customer_receivable")).toBe(0);
    expect(balance("processor_clearing")).toBe(10001);
    expect(balance("merchant_payable")).toBe(-10001);
    expect(successes).toHaveLength(4);
    expect(new Set(successes).size).toBe(4);
  });

  it("plays out 12 months of financing in one call", async () => {
    const { key, customer, card, stub } = await customerWith("tok_visa");
    const p = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { amount: 120000, plan: { type: "financing", months: 12, apr_bps: 1999 } }),
    );
    const clock = await advanceClock(key, customer.id, plusDays(p.captured_at, 366));
    expect(clock.ran.filter((r) => r.type === "charge" && r.outcome === "paid")).toHaveLength(12);
    const done = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(done.status).toBe("completed");
    const { balance, total } = await books(stub);
    expect(total).toBe(0);
    expect(balance("customer_receivable")).toBe(0);
    expect(balance("unearned_interest")).toBe(0);
    expect(balance("interest_income")).toBe(-p.interest_total);
    expect(balance("processor_clearing")).toBe(p.total);
  });

  it("retries soft declines on the dunning schedule, adds one late fee, then goes delinquent", async () => {
    const { key, customer, card, stub } = await customerWith("tok_insufficient_funds");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const due = p.installments[0]?.due_at ?? "";
    const clock = await advanceClock(key, customer.id, plusDays(due, 10));
    const charges = clock.ran.filter((r) => r.type === "charge");
    expect(charges.map((r) => (Date.parse(r.at) - Date.parse(due)) / DAY)).toEqual([0, 1, 3, 7]);
    expect(charges.at(-1)?.outcome).toMatch(/^failed_final/);
    expect(clock.ran.filter((r) => r.type === "late_fee")).toHaveLength(1);

    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.status).toBe("delinquent");
    expect(after.installments[0]).toMatchObject({ status: "failed_final", fees: 500 });
    expect(after.amount_outstanding).toBe(12500);
    const { balance, total, successes } = await books(stub);
    expect(total).toBe(0);
    expect(balance("customer_receivable")).toBe(after.amount_outstanding);
    expect(balance("fee_income")).toBe(-500);
    expect(successes).toEqual([]);
  });

  it("recovers when a retry succeeds, collecting the fee with the installment", async () => {
    const { key, customer, card, stub } = await customerWith("tok_succeed_after_2");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const clock = await advanceClock(key, customer.id, plusDays(p.installments[0]?.due_at ?? "", 10));
    expect(clock.ran.filter((r) => r.type === "charge").map((r) => r.outcome.split(" ")[0])).toEqual([
      "failed",
      "failed",
      "paid",
    ]);
    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.status).toBe("completed");
    const { balance, total, successes } = await books(stub);
    expect(total).toBe(0);
    expect(balance("processor_clearing")).toBe(12500);
    expect(balance("customer_receivable")).toBe(0);
    expect(successes).toHaveLength(1);
  });

  it("recovers a delinquent purchase when the customer pays after dunning gave up", async () => {
    // Four soft declines: the due-date attempt and all three retries fail; the fifth attempt pays.
    const { key, customer, card, stub } = await customerWith("tok_succeed_after_4");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    await advanceClock(key, customer.id, plusDays(p.installments[0]?.due_at, 10));
    expect((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body.status).toBe("delinquent");

    const paid = await call<Purchase>(`/v1/purchases/${p.id}/installments/1/pay`, { key, method: "POST" });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("completed");
    expect(paid.body.installments[0]).toMatchObject({ status: "paid", fees: 500 });
    const { balance, total, successes } = await books(stub);
    expect(total).toBe(0);
    expect(balance("customer_receivable")).toBe(0);
    expect(balance("processor_clearing")).toBe(12500);
    expect(successes).toHaveLength(1);
  });

  it("never retries a hard decline", async () => {
    const { key, customer, card } = await customerWith("tok_hard_decline");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    const clock = await advanceClock(key, customer.id, plusDays(p.installments[0]?.due_at ?? "", 30));
    expect(clock.ran.filter((r) => r.type === "charge")).toHaveLength(1);
    expect((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body.status).toBe("delinquent");
  });

  it("refuses to move the clock backwards, a bad instant, or another merchant's customer", async () => {
    const { key, customer, card } = await customerWith("tok_visa");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { plan: { type: "pay_later" } }));
    await advanceClock(key, customer.id, plusDays(p.created_at, 5));
    const backwards = await expectProblem(
      call(`/v1/test_helpers/customers/${customer.id}/advance_clock`, { key, body: { to: p.created_at } }),
      400,
      "validation_error",
    );
    expect(backwards.errors?.map((e) => e.path)).toEqual(["to"]);
    await expectProblem(
      call(`/v1/test_helpers/customers/${customer.id}/advance_clock`, { key, body: { to: "tomorrow" } }),
      400,
      "validation_error",
    );
    const other = await createMerchant("Other");
    await expectProblem(
      call(`/v1/test_helpers/customers/${customer.id}/advance_clock`, {
        key: other.secret_key,
        body: { to: plusDays(p.created_at, 6) },
      }),
      404,
      "not_found",
    );
  });
});

describe("alarms", () => {
  it("charge an installment interrupted at the processor exactly once, however often they fire", async () => {
    const { key, customer, card, stub } = await customerWith("tok_visa");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    // Installment 2 falls due; its charge reaches the processor, which takes the money, and the object dies.
    const died = await runInDurableObject(stub, async (instance: CustomerObject, state) => {
      fallDueNow(state.storage.sql, p.id, 2);
      instance.faults.at = (point) => {
        if (point === "due_charge:after") throw new Error("evicted");
      };
      const error = await instance.alarm().then(
        () => "ran",
        (e: Error) => e.message,
      );
      instance.faults.at = () => {};
      // The charge is in flight, and its command's grace is over: the next alarm sends it again.
      state.storage.sql.exec("UPDATE intents SET next_at = ? WHERE status = 'pending'", new Date(0).toISOString());
      return error;
    });
    expect(died).toBe("evicted");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.installments.map((i) => i.status)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    const { total, successes } = await books(stub);
    expect(total).toBe(0);
    expect(successes.filter((k) => k.startsWith(`${p.id}:2:`))).toHaveLength(1);
  });
});
