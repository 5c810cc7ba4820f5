import type { Event, Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { advanceClock, books, call, expectProblem, plusDays } from "./helpers";
import { callsOf, held, post, processorCalls, START } from "./holds-kit";

/**
 * A `capture: manual` purchase holds what falls due at capture on the card from its creation
 * (issue 18): captured, the hold is taken; cancelled, released; left uncaptured for the hold
 * period (the test config's 10 days; the simulator holds 7), the purchase expires. Declines and
 * lapsed holds: authorisation-holds-declines.test.ts; evictions: fault-injection.test.ts.
 */

describe("a manual capture's hold", () => {
  it("is authorised at creation for what falls due at capture, and nothing is charged", async () => {
    const { stub, created } = await held();
    expect(created.status).toBe(201);
    const p = created.body;
    expect(p.status).toBe("requires_capture");
    // The first of four parts; the simulator's 7 days are sooner than the 10-day hold period.
    expect(p.authorization).toEqual({ status: "held", amount: 3000, expires_at: plusDays(START, 7) });
    expect(p.amount_outstanding).toBe(12000);
    expect(await callsOf(stub, "authorise")).toEqual([`${p.id}:hold authorised`]);
    expect(await callsOf(stub, "charge")).toEqual([]);
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(0);
  });

  it("holds the whole price of pay in full, and nothing where nothing falls due at capture", async () => {
    const full = await held("tok_visa", { plan: { type: "pay_in_full" } });
    expect(full.created.body.authorization).toMatchObject({ status: "held", amount: 12000 });
    for (const plan of [{ type: "pay_later" }, { type: "financing", months: 6, apr_bps: 1500 }]) {
      const { stub, created } = await held("tok_insufficient_funds", { plan });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: "requires_capture", authorization: null });
      expect(await processorCalls(stub)).toEqual([]);
    }
  });

  it("is taken at capture: the first part paid once, by one capture and no charge, and refundable", async () => {
    const { key, stub, created } = await held();
    const id = created.body.id;
    await advanceClock(key, created.body.customer, plusDays(START, 3));
    const captured = await post(key, `/v1/purchases/${id}/capture`, "capture-1");
    expect(captured.status).toBe(200);
    expect(captured.body.status).toBe("active");
    expect(captured.body.authorization?.status).toBe("captured");
    expect(captured.body.installments.map((i) => i.status)).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
    expect(captured.body.amount_outstanding).toBe(9000);
    const again = await post(key, `/v1/purchases/${id}/capture`, "capture-1");
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body).toEqual(captured.body);

    expect(await callsOf(stub, "capture")).toEqual([`${id}:1:capture succeeded`]);
    expect(await callsOf(stub, "charge")).toEqual([]);
    const b = await books(stub);
    expect(b.successes).toEqual([`${id}:1:capture`]);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(9000);
    expect(b.balance("processor_clearing")).toBe(3000);
    const events = await call<{ data: Event[] }>(`/v1/events?type=installment.paid`, { key });
    expect(events.body.data.filter((e) => (e.data.object as Purchase).id === id)).toHaveLength(1);

    // The captured hold's charge is what the refund pays back.
    const refund = await call<Refund>(`/v1/purchases/${id}/refunds`, { key, body: {} });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ status: "succeeded", amount: 12000, cash_returned: 3000 });
    expect((await books(stub)).refunds.map((r) => r.amount)).toEqual([3000]);
  });

  it("is released by a cancel, and nothing is owed", async () => {
    const { key, stub, created } = await held();
    const id = created.body.id;
    const cancelled = await post(key, `/v1/purchases/${id}/cancel`, "cancel-1");
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", amount_outstanding: 0 });
    expect(cancelled.body.authorization?.status).toBe("voided");
    expect((await post(key, `/v1/purchases/${id}/cancel`, "cancel-1")).body).toEqual(cancelled.body);
    expect(await callsOf(stub, "void")).toEqual([`${id}:void voided`]);
    // Nothing is left for the alarm: no lapse, no expiry.
    const later = await advanceClock(key, created.body.customer, plusDays(START, 30));
    expect(later.ran).toEqual([]);
    expect(await callsOf(stub, "void")).toEqual([`${id}:void voided`]);
    expect((await books(stub)).total).toBe(0);
  });

  it("lapses with the processor's limit and, uncaptured at the end of the hold period, expires owing nothing", async () => {
    const { key, stub, created } = await held();
    const { id, customer } = created.body;
    const lapsed = await advanceClock(key, customer, plusDays(START, 8));
    expect(lapsed.ran).toEqual([
      { at: plusDays(START, 7), type: "hold", purchase: id, installment: 1, outcome: "lapsed" },
    ]);
    const between = await call<Purchase>(`/v1/purchases/${id}`, { key });
    expect(between.body).toMatchObject({ status: "requires_capture", authorization: { status: "expired" } });

    const ended = await advanceClock(key, customer, plusDays(START, 12));
    expect(ended.ran).toEqual([
      { at: plusDays(START, 10), type: "hold", purchase: id, installment: 1, outcome: "expired" },
    ]);
    const got = await call<Purchase>(`/v1/purchases/${id}`, { key });
    expect(got.body).toMatchObject({ status: "expired", amount_outstanding: 0, authorization: { status: "expired" } });
    expect(got.body.installments.every((i) => i.status === "cancelled")).toBe(true);
    const events = await call<{ data: Event[] }>(`/v1/events?type=purchase.expired`, { key });
    expect(events.body.data.map((e) => (e.data.object as Purchase).id)).toEqual([id]);
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(0);
    // A lapsed hold needs no release; an expired purchase is no longer captured.
    expect(await callsOf(stub, "void")).toEqual([]);
    await expectProblem(post(key, `/v1/purchases/${id}/capture`, "late"), 400, "invalid_state");
    const list = await call<{ data: Purchase[] }>(`/v1/purchases?status=expired&customer=${customer}`, { key });
    expect(list.body.data.map((p) => p.id)).toEqual([id]);
  });
});
