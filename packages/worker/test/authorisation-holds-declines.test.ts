import type { Event, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { advanceClock, books, call, customerWith, expectProblem, plusDays, purchaseBody } from "./helpers";
import { callsOf, held, post, START } from "./holds-kit";

/**
 * A manual capture's card refused: at creation, its authorisation (a 402, the purchase declined);
 * at a capture after its hold lapsed, the fresh charge (the same 402). Neither owes anything, and
 * each replays under its key. A processor error is no refusal: the authorisation is retried.
 */
describe("a manual capture whose card is refused", () => {
  it("is a 402 at creation, the purchase declined and nothing owed, replayed under its key", async () => {
    const shop = await customerWith("tok_insufficient_funds");
    await advanceClock(shop.key, shop.customer.id, START);
    const body = purchaseBody(shop.customer.id, shop.card.id, { capture: "manual" });
    const create = () => post(shop.key, "/v1/purchases", "create-1", body);
    const problem = await expectProblem(create(), 402, "payment_declined");
    expect(problem.decline_code).toBe("insufficient_funds");
    const id = String(problem.purchase);
    expect(await callsOf(shop.stub, "authorise")).toEqual([`${id}:hold declined`]);

    const replay = create();
    expect((await replay).res.headers.get("Idempotent-Replayed")).toBe("true");
    const { request_id: _, ...same } = problem;
    expect(await expectProblem(replay, 402, "payment_declined")).toMatchObject(same);
    expect(await callsOf(shop.stub, "authorise")).toEqual([`${id}:hold declined`]);

    const got = await call<Purchase>(`/v1/purchases/${id}`, { key: shop.key });
    expect(got.body).toMatchObject({ status: "declined", amount_outstanding: 0, captured_at: null });
    expect(got.body.authorization).toEqual({ status: "declined", amount: 3000, expires_at: null });
    expect(got.body.installments.every((i) => i.status === "cancelled")).toBe(true);
    const events = await call<{ data: Event[] }>(`/v1/events?type=purchase.declined`, { key: shop.key });
    expect(events.body.data.map((e) => [(e.data.object as Purchase).id, e.data.code])).toEqual([
      [id, "insufficient_funds"],
    ]);
    const b = await books(shop.stub);
    expect(b.total).toBe(0);
    expect(b.successes).toEqual([]);
    // Nothing is left to run, and nothing can be captured.
    expect((await advanceClock(shop.key, shop.customer.id, plusDays(START, 30))).ran).toEqual([]);
    await expectProblem(post(shop.key, `/v1/purchases/${id}/capture`, "c"), 400, "invalid_state");
  });

  it("charges afresh at a capture after the hold lapsed (tok_hold_expires_early, a day's hold)", async () => {
    const { key, stub, created } = await held("tok_hold_expires_early");
    const { id, customer } = created.body;
    expect(created.body.authorization?.expires_at).toBe(plusDays(START, 1));
    await advanceClock(key, customer, plusDays(START, 2));
    const captured = await post(key, `/v1/purchases/${id}/capture`, "capture-1");
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: "active", amount_outstanding: 9000 });
    expect(captured.body.authorization?.status).toBe("expired");
    expect(captured.body.installments[0]?.status).toBe("paid");
    expect(await callsOf(stub, "capture")).toEqual([]);
    expect(await callsOf(stub, "charge")).toEqual([`${id}:1:3000 succeeded`]);
    expect((await books(stub)).successes).toEqual([`${id}:1:3000`]);
  });

  it("is a 402 at a capture after the hold lapsed when the fresh charge is declined, replayed", async () => {
    const { key, stub, created } = await held("tok_hold_then_decline");
    const { id, customer } = created.body;
    expect(created.body.authorization?.status).toBe("held");
    await advanceClock(key, customer, plusDays(START, 8));
    const capture = () => post(key, `/v1/purchases/${id}/capture`, "capture-1");
    const problem = await expectProblem(capture(), 402, "payment_declined");
    expect(problem).toMatchObject({ purchase: id, decline_code: "insufficient_funds" });
    const { request_id: _, ...same } = problem;
    expect(await expectProblem(capture(), 402, "payment_declined")).toMatchObject(same);
    expect(await callsOf(stub, "charge")).toEqual([`${id}:1:3000 declined`]);
    const got = await call<Purchase>(`/v1/purchases/${id}`, { key });
    expect(got.body).toMatchObject({ status: "declined", amount_outstanding: 0 });
    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(0);
  });
});

describe("a manual capture whose authorisation meets a processor error", () => {
  it("is a 201 with the hold pending, retried under its key until the hold period ends", async () => {
    const { key, stub, created } = await held("tok_processor_error");
    expect(created.status).toBe(201);
    const { id, customer } = created.body;
    expect(created.body).toMatchObject({ status: "requires_capture" });
    expect(created.body.authorization).toEqual({ status: "pending", amount: 3000, expires_at: null });
    // Capture and cancel wait for the outcome.
    await expectProblem(post(key, `/v1/purchases/${id}/capture`, "c"), 400, "invalid_state");
    await expectProblem(post(key, `/v1/purchases/${id}/cancel`, "x"), 400, "invalid_state");

    const retried = await advanceClock(key, customer, plusDays(START, 1));
    // After 1, 2, 4 and 8 hours: at most a day apart.
    expect(retried.ran.map((r) => [r.at, r.outcome])).toEqual(
      [1, 3, 7, 15].map((h) => [plusDays(START, h / 24), "retrying (processor_error)"]),
    );
    const keys = new Set((await callsOf(stub, "authorise")).map((c) => c.split(" ")[0]));
    expect([...keys]).toEqual([`${id}:hold`]);
    const ended = await advanceClock(key, customer, plusDays(START, 11));
    expect(ended.ran.at(-1)).toMatchObject({ type: "hold", outcome: "expired", at: plusDays(START, 10) });
    const got = await call<Purchase>(`/v1/purchases/${id}`, { key });
    expect(got.body).toMatchObject({ status: "expired", amount_outstanding: 0, authorization: { status: "expired" } });
    expect((await books(stub)).total).toBe(0);
  });
});
