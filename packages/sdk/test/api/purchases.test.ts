import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  ValidationError,
} from "../../src";
import { admin, order, plusDays, rejection, settled, shopper } from "./helpers";

describe("purchases", () => {
  it("creates, retrieves and lists, filtered and paged", async () => {
    const { tranche, customer, card } = await shopper();
    const p = await tranche.purchases.create(order(customer.id, card.id, { merchant_reference: "order-1" }));
    expect(p).toMatchObject({ object: "purchase", status: "active", total: 12000, merchant_reference: "order-1" });
    expect(p.plan).toEqual({ type: "pay_in_n", n: 4, interval_days: 14 });
    expect(p.installments.map((i) => [i.amount, i.status])).toEqual([
      [3000, "paid"],
      [3000, "scheduled"],
      [3000, "scheduled"],
      [3000, "scheduled"],
    ]);
    expect(await tranche.purchases.retrieve(p.id)).toEqual(p);

    const q = await tranche.purchases.create(
      order(customer.id, card.id, { capture: "manual", plan: { type: "pay_in_full" } }),
    );
    const ids: string[] = [];
    for await (const x of tranche.purchases.list({ customer: customer.id, limit: 1 })) ids.push(x.id);
    expect(ids).toEqual([q.id, p.id]);
    const active = await tranche.purchases.list({ status: "active" });
    expect(active.data.map((x) => x.id)).toEqual([p.id]);
    const none = await tranche.purchases.list({ "created[lt]": "2000-01-01T00:00:00.000Z" });
    expect(none.data).toEqual([]);
  });

  it("captures and cancels manual purchases; a second capture is invalid_state", async () => {
    const { tranche, customer, card } = await shopper();
    const manual = order(customer.id, card.id, { capture: "manual" });
    const p = await tranche.purchases.create(manual);
    expect(p.status).toBe("requires_capture");
    const captured = await tranche.purchases.capture(p.id);
    expect(captured.status).toBe("active");
    expect(captured.captured_at).not.toBeNull();
    const again = await rejection(tranche.purchases.capture(p.id), InvalidRequestError, 400, "invalid_state");
    expect(again).not.toBeInstanceOf(ValidationError);

    const q = await tranche.purchases.create(manual);
    const cancelled = await tranche.purchases.cancel(q.id);
    expect(cancelled.status).toBe("cancelled");
    await rejection(tranche.purchases.cancel(p.id), InvalidRequestError, 400, "invalid_state");
  });

  it("refunds, pays an installment early, extends one and pays off", async () => {
    const { tranche, customer, card } = await shopper();
    const p = await tranche.purchases.create(order(customer.id, card.id));
    const refund = await tranche.purchases.refunds.create(p.id, { amount: 1000, reason: "returned_goods" });
    expect(refund).toMatchObject({ object: "refund", purchase: p.id, amount: 1000, status: "succeeded" });

    const paid = await tranche.purchases.installments.pay(p.id, 2);
    expect(paid.installments[1]?.status).toBe("paid");
    const extended = await tranche.purchases.installments.extend(p.id, 3, { days: 7 });
    expect(extended.installments[2]?.due_at).toBe(plusDays(paid.installments[2]?.due_at ?? null, 7));
    const done = await tranche.purchases.payoff(p.id);
    expect(done.status).toBe("completed");
    expect(done.amount_outstanding).toBe(0);

    const full = await tranche.purchases.create(order(customer.id, card.id));
    const all = await tranche.purchases.refunds.create(full.id);
    expect(all.amount).toBe(12000);
  });

  it("maps a decline to PaymentDeclinedError (402) and business refusals to InvalidRequestError", async () => {
    const { tranche, customer, card } = await shopper("tok_insufficient_funds");
    // A checkout whose first part is declined: the purchase is stored declined, nothing owed.
    const declined = await rejection(
      tranche.purchases.create(order(customer.id, card.id)),
      PaymentDeclinedError,
      402,
      "payment_declined",
    );
    expect(declined.declineCode).toBe("insufficient_funds");
    expect(declined.purchase).toMatch(/^pur_/);
    const stored = await tranche.purchases.retrieve(declined.purchase ?? "");
    expect(stored).toMatchObject({ status: "declined", amount_outstanding: 0 });
    // Nothing falls due at checkout of a financed purchase: it is created, and paying now is declined.
    const p = await tranche.purchases.create(
      order(customer.id, card.id, { plan: { type: "financing", months: 3, apr_bps: 1200 } }),
    );
    expect(p.installments[0]?.status).not.toBe("paid");
    await rejection(tranche.purchases.installments.pay(p.id, 2), PaymentDeclinedError, 402, "payment_declined");
    await rejection(tranche.purchases.payoff(p.id), PaymentDeclinedError, 402, "payment_declined");

    await rejection(
      tranche.purchases.create(order(customer.id, card.id, { amount: 2_000_000 })),
      InvalidRequestError,
      400,
      "credit_limit_exceeded",
    );
    await rejection(
      tranche.purchases.create(order(customer.id, "pm_00000000000000000000000000")),
      InvalidRequestError,
      400,
      "payment_method_not_found",
    );
    const invalid = await rejection(
      tranche.purchases.create(order(customer.id, card.id, { amount: -1, currency: "XXX" })),
      ValidationError,
      400,
      "validation_error",
    );
    expect(invalid.errors.map((e) => e.path).sort()).toEqual(["amount", "currency"]);
    await rejection(
      tranche.purchases.installments.extend(p.id, 2, { days: 0 }),
      ValidationError,
      400,
      "validation_error",
    );
    await rejection(tranche.purchases.retrieve("pur_00000000000000000000000000"), NotFoundError, 404, "not_found");
    await rejection(tranche.purchases.refunds.create("pur_nope"), NotFoundError, 404, "not_found");
  });
});

describe("test helpers and operator actions", () => {
  it("advances the clock, and an operator writes off the delinquent purchase", async () => {
    const { tranche, customer, card } = await shopper("tok_insufficient_funds");
    const p = await tranche.purchases.create(
      order(customer.id, card.id, { amount: 60000, plan: { type: "financing", months: 3, apr_bps: 2400 } }),
    );
    const clock = await tranche.testHelpers.advanceClock(customer.id, { to: plusDays(p.captured_at, 120) });
    expect(clock).toMatchObject({ object: "test_clock", customer: customer.id });
    expect(clock.ran.some((a) => a.type === "charge" && a.outcome !== "paid")).toBe(true);
    expect((await tranche.purchases.retrieve(p.id)).status).toBe("delinquent");

    await rejection(tranche.admin.purchases.writeOff(p.id), AuthenticationError, 401, "invalid_api_key");
    const written = await admin.admin.purchases.writeOff(p.id);
    expect(written.status).toBe("written_off");
    await rejection(admin.admin.purchases.writeOff(p.id), InvalidRequestError, 400, "invalid_state");
  });

  it("moves a merchant's read model to the other shard; its purchases list the same", async () => {
    const { tranche, merchant, customer, card } = await shopper();
    const p = await tranche.purchases.create(order(customer.id, card.id));
    await settled();
    const before = await tranche.purchases.list();
    await rejection(tranche.admin.merchants.moveShard(merchant.id, 0), AuthenticationError, 401, "invalid_api_key");
    await rejection(admin.admin.merchants.moveShard(merchant.id, 99), ValidationError, 400, "validation_error");
    // Onto shard 0 first (where it may already be), so the second move is always 0 → 1.
    await admin.admin.merchants.moveShard(merchant.id, 0);
    const moved = await admin.admin.merchants.moveShard(merchant.id, 1);
    expect(moved).toMatchObject({ merchant: merchant.id, from: 0, to: 1, customers: 1, failed: 0 });
    await settled();
    expect((await tranche.purchases.list()).data).toEqual(before.data);
    expect(before.data.map((x) => x.id)).toEqual([p.id]);
  });

  it("runs a pay-in-4 schedule to the end", async () => {
    const { tranche, customer, card } = await shopper();
    const p = await tranche.purchases.create(order(customer.id, card.id));
    const clock = await tranche.testHelpers.advanceClock(customer.id, { to: plusDays(p.captured_at, 43) });
    expect(clock.ran.filter((a) => a.type === "charge").map((a) => [a.installment, a.outcome])).toEqual([
      [2, "paid"],
      [3, "paid"],
      [4, "paid"],
    ]);
    expect((await tranche.purchases.retrieve(p.id)).status).toBe("completed");
    await rejection(
      tranche.testHelpers.advanceClock(customer.id, { to: "yesterday" }),
      ValidationError,
      400,
      "validation_error",
    );
  });
});
