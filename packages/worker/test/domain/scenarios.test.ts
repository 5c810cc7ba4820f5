import { PlanSchema } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  ACCOUNTS,
  balance,
  type CollectionsPolicy,
  DEFAULT_POLICY,
  deriveStatus,
  receivable,
  validatePolicy,
} from "../../src/domain/collections";
import { checkBooks } from "./books";
import { inCustomerObject, TestCustomer } from "./customer";
import { CAPTURED_AT, PAY_IN_4 } from "./fixtures";
import type { Outcome } from "./scripted-processor";

const DAY = 86_400_000;

async function customer(
  storage: DurableObjectStorage,
  outcomes: Outcome[],
  policy: CollectionsPolicy = DEFAULT_POLICY,
) {
  const c = new TestCustomer(storage, policy, CAPTURED_AT, outcomes);
  const id = await c.create(PAY_IN_4);
  const installments = () => c.store.installments(id);
  return {
    c,
    id,
    installments,
    statuses: () => installments().map((i) => i.status),
    status: () => deriveStatus(c.purchase(id), installments()),
    postings: () => c.books.postings(),
  };
}

describe("worked scenarios through the real commands and schedule, wired as the customer object wires them", () => {
  it(
    "dunning: two soft declines, a late fee on the first retry, collected with the installment on the second",
    inCustomerObject(async (storage) => {
      const { c, id, installments, statuses, postings } = await customer(storage, [
        "succeeded",
        "soft_decline",
        "soft_decline",
        "succeeded",
      ]);
      await c.advance(14 * DAY);
      expect(statuses()).toEqual(["paid", "failed", "scheduled", "scheduled"]);
      await c.advance(1 * DAY);
      expect(installments()[1]).toMatchObject({ status: "failed", attempts_failed: 2, late_fee: 500 });
      expect(receivable(postings(), id)).toBe(7_500 + 500);
      await c.advance(2 * DAY);
      expect(statuses()).toEqual(["paid", "paid", "scheduled", "scheduled"]);
      expect(postings().map((p) => p.event)).toEqual(["capture", "installment_paid", "late_fee", "installment_paid"]);
      expect(balance(postings(), "fee_income")).toBe(-500);
      expect(balance(postings(), "processor_clearing")).toBe(2_500 + 3_000);
      // The retry with the fee is a new request, so it has a key of its own.
      const keys = c.processor.calls().map((call) => call.request.idempotencyKey);
      expect(keys).toEqual([`${id}:1:2500`, `${id}:2:2500`, `${id}:2:2500`, `${id}:2:3000`]);
    }),
  );

  it(
    "a hard decline makes the purchase delinquent; the customer paying recovers it",
    inCustomerObject(async (storage) => {
      // The customer's payment goes through the processor too: it takes the third outcome.
      const { c, id, statuses, status, postings } = await customer(storage, [
        "succeeded",
        "hard_decline",
        "succeeded",
        "succeeded",
        "succeeded",
      ]);
      await c.advance(14 * DAY);
      expect(statuses()).toEqual(["paid", "failed_final", "scheduled", "scheduled"]);
      expect(status()).toBe("delinquent");
      expect(receivable(postings(), id)).toBe(7_500);
      expect(await c.pay(id, 2)).toMatchObject({ ok: true, intent: { status: "succeeded" } });
      expect(status()).toBe("active");
      await c.finish();
      expect(status()).toBe("completed");
      expect(receivable(postings(), id)).toBe(0);
    }),
  );

  it(
    "a partial refund shortens the plan, a second one returns collected money, and the books close",
    inCustomerObject(async (storage) => {
      const { c, id, statuses, status, postings } = await customer(storage, ["succeeded"]);
      await c.advance(1 * DAY);
      expect(await c.refund(id, 3_000)).toMatchObject({ ok: true, refund: { status: "succeeded", cash_returned: 0 } });
      expect(statuses()).toEqual(["paid", "scheduled", "scheduled", "refunded"]);
      expect(receivable(postings(), id)).toBe(4_500);
      expect(await c.refund(id, 7_001)).toMatchObject({ ok: false, code: "validation_error" });
      expect(await c.refund(id, 7_000)).toMatchObject({
        ok: true,
        refund: { status: "succeeded", cash_returned: 2_500 },
      });
      expect(status()).toBe("refunded");
      await c.finish();
      expect(postings().map((p) => p.event)).toEqual([
        "capture",
        "installment_paid",
        "refund",
        "refund",
        "refund_payout",
      ]);
      expect(ACCOUNTS.filter((a) => balance(postings(), a) !== 0)).toEqual([]);
    }),
  );

  it(
    "a payout the processor timed out on is sent again by the alarm, under the same key, until it pays",
    inCustomerObject(async (storage) => {
      const { c, id, postings } = await customer(storage, [
        "succeeded",
        "processor_error",
        "processor_error",
        "succeeded",
      ]);
      const refunded = await c.refund(id, 10_000);
      expect(refunded).toMatchObject({ ok: true, refund: { status: "pending", cash_returned: 0 } });
      expect(balance(postings(), "customer_credit")).toBe(-2_500);
      await c.advance(1 * DAY);
      expect(c.books.refunds()[0]).toMatchObject({ status: "succeeded", cash_returned: 2_500 });
      expect(c.books.intents().find((i) => i.kind === "payout")).toMatchObject({ status: "succeeded", attempts: 3 });
      expect(
        c.books
          .events()
          .map((e) => e.type)
          .filter((t) => t.startsWith("refund.")),
      ).toEqual(["refund.created", "refund.succeeded"]);
      expect(ACCOUNTS.filter((a) => balance(postings(), a) !== 0)).toEqual([]);
    }),
  );

  it(
    "an extension moves the charge; the old due date passes without a charge",
    inCustomerObject(async (storage) => {
      const { c, id, statuses } = await customer(storage, ["succeeded"]);
      expect(await c.extend(id, 2, 7)).toEqual({ ok: true });
      expect(await c.extend(id, 2, 7)).toMatchObject({ ok: false, code: "invalid_state" });
      await c.advance(14 * DAY + 1);
      expect(statuses()).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
      await c.advance(7 * DAY);
      expect(statuses()).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    }),
  );
});

/** Bugs the property suite found in the real commands and schedule, each as its smallest case, kept as regressions. */
describe("found by the property suite", () => {
  const withExtensionFee = validatePolicy({ extension: { fee_major: 2 } });
  if (!withExtensionFee.ok) throw new Error("invalid policy");

  it(
    "a refund after a payoff pays the collected cash back (the payoff's charge is recorded to refund)",
    inCustomerObject(async (storage) => {
      const { c, id } = await customer(storage, ["succeeded"]);
      await c.payOff(id);
      expect(await c.refund(id, 5_000)).toMatchObject({
        ok: true,
        refund: { status: "succeeded", cash_returned: 5_000 },
      });
    }),
  );

  it(
    "a write-off waits for the customer's payment in progress, which settles",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["hard_decline", "succeeded"]);
      const id = await c.create({ ...PAY_IN_4, plan: PlanSchema.parse({ type: "pay_in_full" }) });
      await c.pay(id, 1, true);
      expect(await c.writeOff(id)).toMatchObject({ ok: false, code: "invalid_state" });
      // The alarm sends the payment; the processor takes it, and it is recorded.
      await c.advance(DAY);
      checkBooks(c);
    }),
  );

  it(
    "an extension waits for the installment's payment in progress, so no fee is booked as collected",
    inCustomerObject(async (storage) => {
      const { c, id } = await customer(storage, ["succeeded"], withExtensionFee.policy);
      await c.pay(id, 2, true);
      expect(await c.extend(id, 2, 7)).toMatchObject({ ok: false, code: "invalid_state" });
      await c.advance(DAY);
      checkBooks(c);
    }),
  );

  it(
    "an extension waits for a payoff in progress, whose quote then still holds",
    inCustomerObject(async (storage) => {
      const { c, id } = await customer(storage, ["succeeded"], withExtensionFee.policy);
      await c.payOff(id, true);
      expect(await c.extend(id, 2, 7)).toMatchObject({ ok: false, code: "invalid_state" });
      await c.advance(DAY);
      checkBooks(c);
    }),
  );
});
