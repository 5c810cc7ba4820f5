import { env, runInDurableObject } from "cloudflare:test";
import type { AgingReport, Event, Purchase, SettlementReport, Statement } from "@tranche/shared";
import { describe, expect, it, vi } from "vitest";
import {
  advanceClock,
  attachCard,
  books,
  call,
  createPurchase,
  customerWith,
  expectProblem,
  plusDays,
  purchaseBody,
  shopper,
} from "./helpers";

const START = "2027-03-01T10:00:00.000Z";

/** Every charge the processor was asked for, retries of a key included. */
const chargeCalls = (stub: DurableObjectStub) =>
  runInDurableObject(
    stub,
    (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM processor_calls WHERE kind = 'charge'").one().n,
  );

/** What the reports and the customer's statement say: a declined checkout must change none of it. */
async function book(key: string, customer: string) {
  const range = `from=2027-03-01&to=2027-05-01`;
  const [aging, settlements, statement] = await Promise.all([
    call<AgingReport>(`/v1/reports/aging?as_of=${plusDays(START, 20)}`, { key }),
    call<SettlementReport>(`/v1/reports/settlements?${range}&granularity=month`, { key }),
    call<Statement>(`/v1/customers/${customer}/statement?${range}`, { key }),
  ]);
  return { aging: aging.body.data, settlements: settlements.body.data, statement: statement.body };
}

/** A customer with one paying purchase on a good card, so the book is not empty, and a second, declining card. */
async function checkout(token: string) {
  const shop = await customerWith("tok_visa");
  await advanceClock(shop.key, shop.customer.id, START);
  await createPurchase(shop.key, purchaseBody(shop.customer.id, shop.card.id));
  const declining = await attachCard(shop.key, shop.customer.id, token);
  return { ...shop, declining, before: await book(shop.key, shop.customer.id) };
}

describe("a checkout whose card is declined", () => {
  it("is a 402 naming the declined purchase, which owes nothing (pay in full, hard decline)", async () => {
    const { key, customer, declining, stub, before } = await checkout("tok_hard_decline");
    const body = purchaseBody(customer.id, declining.id, { plan: { type: "pay_in_full" } });
    const problem = await expectProblem(call("/v1/purchases", { key, body }), 402, "payment_declined");
    expect(problem.decline_code).toBe("stolen_card");
    expect(problem.purchase).toMatch(/^pur_/);
    expect(problem.detail).toContain("stolen_card");

    const got = await call<Purchase>(`/v1/purchases/${problem.purchase}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: "declined", amount_outstanding: 0 });
    expect(got.body.installments.map((i) => i.status)).toEqual(["cancelled"]);

    const b = await books(stub);
    expect(b.total).toBe(0);
    // Only the good card's purchase is owed: its first part paid, 9000 left.
    expect(b.balance("customer_receivable")).toBe(9000);
    expect(b.balance("merchant_payable")).toBe(-12000);
    expect(await book(key, customer.id)).toEqual(before);

    // Its credit is released, and nothing is left for the alarm to charge.
    const later = await advanceClock(key, customer.id, plusDays(START, 60));
    expect(later.ran.filter((r) => r.purchase === problem.purchase)).toEqual([]);
    const events = await call<{ data: Event[] }>(`/v1/events?type=purchase.declined`, { key });
    expect(events.body.data.map((e) => [e.type, (e.data.object as Purchase).id])).toEqual([
      ["purchase.declined", problem.purchase],
    ]);
  });

  it("is a 402 for pay in n with a soft decline too, and nothing of it is owed", async () => {
    const { key, customer, declining, stub, before } = await checkout("tok_insufficient_funds");
    const body = purchaseBody(customer.id, declining.id, { plan: { type: "pay_in_n", n: 4 } });
    const problem = await expectProblem(call("/v1/purchases", { key, body }), 402, "payment_declined");
    expect(problem.decline_code).toBe("insufficient_funds");

    const got = (await call<Purchase>(`/v1/purchases/${problem.purchase}`, { key })).body;
    expect(got.status).toBe("declined");
    expect(got.amount_outstanding).toBe(0);
    expect(got.installments.map((i) => i.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    expect((await books(stub)).balance("customer_receivable")).toBe(9000);
    expect(await book(key, customer.id)).toEqual(before);
    // No dunning retry: the refused card is tried once.
    const calls = await chargeCalls(stub);
    await advanceClock(key, customer.id, plusDays(START, 60));
    expect(await chargeCalls(stub)).toBe(calls + 3); // the good purchase's three later parts
  });

  it("is counted in analytics as a declined charge, never as a capture", async () => {
    const { key, merchant, customer, declining } = await checkout("tok_hard_decline");
    const body = purchaseBody(customer.id, declining.id, { plan: { type: "pay_in_full" } });
    await expectProblem(call("/v1/purchases", { key, body }), 402, "payment_declined");
    const points = (event: string) =>
      env.DB.prepare("SELECT COUNT(*) AS n FROM analytics_local WHERE index1 = ? AND blob1 = 'money' AND blob2 = ?")
        .bind(merchant.id, event)
        .first<{ n: number }>();
    // Points land after the answer: once the decline's is in, the capture's would be too.
    await vi.waitFor(async () => expect((await points("charge.declined"))?.n).toBe(1), { timeout: 5_000 });
    // The good card's purchase only.
    expect((await points("capture"))?.n).toBe(1);
  });

  it("replays the same 402 under its Idempotency-Key, without charging again", async () => {
    const { key, customer, declining, stub } = await checkout("tok_insufficient_funds");
    const body = purchaseBody(customer.id, declining.id, { plan: { type: "pay_in_full" } });
    const headers = { "Idempotency-Key": "declined-checkout-1" };
    const first = await expectProblem(call("/v1/purchases", { key, body, headers }), 402, "payment_declined");
    const calls = await chargeCalls(stub);
    const again = call("/v1/purchases", { key, body, headers });
    const { res } = await again;
    const second = await expectProblem(again, 402, "payment_declined");
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect({ ...second, request_id: "" }).toEqual({ ...first, request_id: "" });
    expect(await chargeCalls(stub)).toBe(calls);
    const list = await call<{ data: Purchase[] }>(`/v1/purchases?customer=${customer.id}`, { key });
    expect(list.body.data.filter((p) => p.status === "declined")).toHaveLength(1);
  });

  it("releases the credit it reserved", async () => {
    const { key, customer, card } = await shopper({ credit_limits: { EUR: 24000 } });
    await createPurchase(key, purchaseBody(customer.id, card.id));
    const declining = await attachCard(key, customer.id, "tok_hard_decline");
    const body = purchaseBody(customer.id, declining.id);
    await expectProblem(call("/v1/purchases", { key, body }), 402, "payment_declined");
    // 9000 still owed of the limit's 24000: another 12000 fits only if the declined purchase holds none.
    await createPurchase(key, purchaseBody(customer.id, card.id));
  });
});

describe("a capture by hand whose card is declined", () => {
  // Since issue 18 a manual capture is authorised at creation (a refused card is refused there:
  // authorisation-holds.test.ts); its capture is charged afresh once the hold lapsed, as here: the
  // simulator holds 7 days, the test config's hold period is 10.
  it("is the same 402, replayed under its key; the purchase is declined and owes nothing", async () => {
    const { key, customer, declining, stub, before } = await checkout("tok_hold_then_decline");
    const body = purchaseBody(customer.id, declining.id, { capture: "manual" });
    const created = await createPurchase(key, body);
    expect(created.status).toBe("requires_capture");
    await advanceClock(key, customer.id, plusDays(START, 8));
    const capture = () =>
      call(`/v1/purchases/${created.id}/capture`, {
        key,
        method: "POST",
        headers: { "Idempotency-Key": "capture-1" },
      });
    const problem = await expectProblem(capture(), 402, "payment_declined");
    expect(problem).toMatchObject({ purchase: created.id, decline_code: "insufficient_funds" });
    const charged = await chargeCalls(stub);
    const { request_id: _, ...same } = problem;
    expect(await expectProblem(capture(), 402, "payment_declined")).toMatchObject(same);
    expect(await chargeCalls(stub)).toBe(charged);

    const got = await call<Purchase>(`/v1/purchases/${created.id}`, { key });
    expect(got.body).toMatchObject({ status: "declined", amount_outstanding: 0 });
    expect(got.body.installments.every((i) => i.status === "cancelled")).toBe(true);
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(9000);
    expect(await book(key, customer.id)).toEqual(before);
  });
});

describe("a checkout where nothing falls due at once", () => {
  for (const plan of [{ type: "pay_later" }, { type: "financing", months: 6, apr_bps: 1500 }]) {
    it(`${plan.type}: is a 201 and charges nothing; a later decline goes to dunning`, async () => {
      const { key, customer, declining, stub } = await checkout("tok_insufficient_funds");
      const calls = await chargeCalls(stub);
      const p = await createPurchase(key, purchaseBody(customer.id, declining.id, { plan }));
      expect(p.status).toBe("active");
      expect(p.installments[0]?.status).toBe("scheduled");
      expect(await chargeCalls(stub)).toBe(calls);
      await advanceClock(key, customer.id, plusDays(p.installments[0]?.due_at, 0.5));
      const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
      expect(after.status).toBe("active");
      expect(after.installments[0]?.status).toBe("failed");
    });
  }
});

/** The processor keys the purchase's charges went out under. */
const keysOf = (stub: DurableObjectStub, purchase: string) =>
  runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ k: string }>(
        "SELECT DISTINCT idempotency_key AS k FROM processor_calls WHERE idempotency_key LIKE ?",
        `${purchase}:%`,
      )
      .toArray(),
  );

describe("a checkout whose charge has no answer (processor error or timeout)", () => {
  it("tok_processor_error: is no decline: a 201 with the first part failed, retried by dunning under the same key", async () => {
    const { key, customer, declining, stub } = await checkout("tok_processor_error");
    const p = await createPurchase(key, purchaseBody(customer.id, declining.id, { plan: { type: "pay_in_full" } }));
    expect(p.status).toBe("active");
    expect(p.installments[0]?.status).toBe("failed");
    expect(p.amount_outstanding).toBe(12000);
    const clock = await advanceClock(key, customer.id, plusDays(START, 1.5));
    expect(clock.ran.filter((r) => r.purchase === p.id).map((r) => r.type)).toEqual(["charge"]);
    expect(await keysOf(stub, p.id)).toHaveLength(1);
  });

  it("tok_timeout: is no decline: a 201 with the charge still in flight, asked again under its one key, and nothing else moves meanwhile", async () => {
    const { key, customer, declining, stub } = await checkout("tok_timeout");
    const p = await createPurchase(key, purchaseBody(customer.id, declining.id, { plan: { type: "pay_in_full" } }));
    expect(p.status).toBe("active");
    // The money may have moved: the installment stays at the processor, not failed, and no fee can follow.
    expect(p.installments[0]?.status).toBe("processing");
    expect(p.amount_outstanding).toBe(12000);
    const clock = await advanceClock(key, customer.id, plusDays(START, 1.5));
    const ran = clock.ran.filter((r) => r.purchase === p.id);
    // Asked again after 1, 5, 30 and 120 minutes, then every 6 hours: nine times in a day and a half.
    expect(ran).toHaveLength(9);
    expect(new Set(ran.map((r) => `${r.type} ${r.outcome}`))).toEqual(new Set(["payment due_charge pending"]));
    expect(await keysOf(stub, p.id)).toHaveLength(1);
    // One open money movement: a payment, a refund or an extension waits for its outcome.
    await expectProblem(call(`/v1/purchases/${p.id}/installments/1/pay`, { key, body: {} }), 400, "invalid_state");
    await expectProblem(call(`/v1/purchases/${p.id}/refunds`, { key, body: { amount: 100 } }), 400, "invalid_state");
    const events = await call<{ data: Event[] }>(`/v1/events?purchase=${p.id}`, { key });
    const types = events.body.data.map((e) => e.type);
    expect(types).toContain("purchase.created");
    expect(types).not.toContain("installment.failed");
  });
});
