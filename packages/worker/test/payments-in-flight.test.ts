import { runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { advanceClock, call, createPurchase, customerWith, expectProblem, plusDays, purchaseBody } from "./helpers";

const START = "2027-03-01T10:00:00.000Z";

/** The processor keys a purchase's charges went out under, with how often each was sent. */
const chargeKeys = (stub: DurableObjectStub, purchase: string) =>
  runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ key: string; calls: number }>(
        "SELECT idempotency_key AS key, COUNT(*) AS calls FROM processor_calls WHERE idempotency_key LIKE ? GROUP BY key",
        `${purchase}:%`,
      )
      .toArray(),
  );

/**
 * A timeout leaves a charge's outcome unknown: the money may have moved. So the payment stays in
 * flight, asked again under its one key, and nothing else may move money on the purchase until
 * the processor says what became of it (issue 18: one open money movement per purchase).
 */
describe("a customer payment the processor does not answer in time", () => {
  async function payLater() {
    const shop = await customerWith("tok_timeout");
    await advanceClock(shop.key, shop.customer.id, START);
    // Nothing falls due at capture, so the purchase is taken on without a charge.
    const body = purchaseBody(shop.customer.id, shop.card.id, { plan: { type: "pay_later" } });
    return { ...shop, purchase: await createPurchase(shop.key, body) };
  }

  it("pay now: a 202 with the installment still owed, replayed under its key; the alarm asks again under the same key", async () => {
    const { key, customer, stub, purchase } = await payLater();
    const path = `/v1/purchases/${purchase.id}/installments/1/pay`;
    const headers = { "Idempotency-Key": `pay-${purchase.id}` };
    const first = await call<Purchase>(path, { key, body: {}, headers });
    expect(first.status).toBe(202);
    expect(first.body.amount_outstanding).toBe(12000);
    expect(first.body.installments[0]?.status).toBe("scheduled");

    const again = await call<Purchase>(path, { key, body: {}, headers });
    expect(again.status).toBe(202);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    // A new request is refused while the first is in flight: a second payment, a payoff, a refund, an extension.
    await expectProblem(call(path, { key, body: {} }), 400, "invalid_state");
    await expectProblem(call(`/v1/purchases/${purchase.id}/payoff`, { key, body: {} }), 400, "invalid_state");
    await expectProblem(call(`/v1/purchases/${purchase.id}/refunds`, { key, body: {} }), 400, "invalid_state");
    const extend = call(`/v1/purchases/${purchase.id}/installments/1/extend`, { key, body: { days: 7 } });
    await expectProblem(extend, 400, "invalid_state");

    const clock = await advanceClock(key, customer.id, plusDays(START, 0.2));
    // Asked again 1, 5, 30 and 120 minutes after each answer: still none, so still in flight.
    expect(clock.ran.filter((r) => r.purchase === purchase.id).map((r) => r.outcome)).toEqual(
      Array(4).fill("pay_now pending"),
    );
    expect(await chargeKeys(stub, purchase.id)).toEqual([{ key: `${purchase.id}:1:12000`, calls: 5 }]);
  });

  it("payoff: a 202 likewise, its quote held: the due date passes without a charge of its own", async () => {
    const { key, customer, stub, purchase } = await payLater();
    const paid = await call<Purchase>(`/v1/purchases/${purchase.id}/payoff`, { key, body: {} });
    expect(paid.status).toBe(202);
    expect(paid.body.amount_outstanding).toBe(12000);
    // Past the due date: the due charge waits for the payoff, which is still in flight.
    await advanceClock(key, customer.id, plusDays(purchase.installments[0]?.due_at, 1));
    const keys = await chargeKeys(stub, purchase.id);
    expect(keys.map((k) => k.key)).toEqual([`${purchase.id}:payoff:12000`]);
  });
});
