import { PlanSchema } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { ACCOUNTS, balance, DEFAULT_POLICY, deriveStatus, receivable } from "../../src/domain/collections";
import { CAPTURED_AT } from "./fixtures";
import { CustomerModel, type Outcome } from "./model";

const DAY = 86_400_000;
const payIn4 = {
  amount: 10_000,
  currency: "EUR",
  plan: PlanSchema.parse({ type: "pay_in_n" }),
  capture: "automatic",
} as const;

function customer(outcomes: Outcome[]) {
  const model = new CustomerModel(DEFAULT_POLICY, CAPTURED_AT, outcomes);
  model.create("pur_a", payIn4);
  const held = () => {
    const h = model.held.get("pur_a");
    if (!h) throw new Error("no purchase");
    return h;
  };
  return {
    model,
    held,
    statuses: () => held().installments.map((i) => i.status),
    status: () => deriveStatus(held(), held().installments),
  };
}

describe("worked scenarios through the rules, wired as the customer object will wire them", () => {
  it("dunning: two soft declines, a late fee on the first retry, collected with the installment on the second", () => {
    const { model, held, statuses } = customer(["succeeded", "soft_decline", "soft_decline", "succeeded"]);
    model.advance(14 * DAY);
    expect(statuses()).toEqual(["paid", "failed", "scheduled", "scheduled"]);
    model.advance(1 * DAY);
    expect(held().installments[1]).toMatchObject({ status: "failed", attempts_failed: 2, late_fee: 500 });
    expect(receivable(model.postings, "pur_a")).toBe(7_500 + 500);
    model.advance(2 * DAY);
    expect(statuses()).toEqual(["paid", "paid", "scheduled", "scheduled"]);
    expect(model.postings.map((p) => p.event)).toEqual(["capture", "installment_paid", "late_fee", "installment_paid"]);
    expect(balance(model.postings, "fee_income")).toBe(-500);
    expect(balance(model.postings, "processor_clearing")).toBe(2_500 + 3_000);
  });

  it("a hard decline makes the purchase delinquent; the customer paying recovers it", () => {
    const { model, statuses, status } = customer(["succeeded", "hard_decline", "succeeded"]);
    model.advance(14 * DAY);
    expect(statuses()).toEqual(["paid", "failed_final", "scheduled", "scheduled"]);
    expect(status()).toBe("delinquent");
    expect(receivable(model.postings, "pur_a")).toBe(7_500);
    expect(model.payInstallment("pur_a", 2)).toBe(true);
    expect(status()).toBe("active");
    model.finish();
    expect(status()).toBe("completed");
    expect(receivable(model.postings, "pur_a")).toBe(0);
  });

  it("a partial refund shortens the plan, a second one returns collected money, and the books close", () => {
    const { model, statuses, status } = customer(["succeeded"]);
    model.advance(1 * DAY);
    expect(model.refund("pur_a", 3_000)).toMatchObject({ ok: true, cash: 0 });
    expect(statuses()).toEqual(["paid", "scheduled", "scheduled", "refunded"]);
    expect(receivable(model.postings, "pur_a")).toBe(4_500);
    expect(model.refund("pur_a", 7_001)).toMatchObject({ ok: false, code: "exceeds_refundable" });
    expect(model.refund("pur_a", 7_000)).toMatchObject({ ok: true, cash: 2_500 });
    expect(status()).toBe("refunded");
    model.finish();
    expect(model.postings.map((p) => p.event)).toEqual([
      "capture",
      "installment_paid",
      "refund",
      "refund",
      "refund_payout",
    ]);
    expect(ACCOUNTS.filter((a) => balance(model.postings, a) !== 0)).toEqual([]);
  });

  it("an extension moves the charge; the old due date passes without a charge", () => {
    const { model, statuses } = customer(["succeeded"]);
    expect(model.extend("pur_a", 2, 7)).toBe(true);
    expect(model.extend("pur_a", 2, 7)).toBe(false);
    model.advance(14 * DAY + 1);
    expect(statuses()).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
    model.advance(7 * DAY);
    expect(statuses()).toEqual(["paid", "paid", "scheduled", "scheduled"]);
  });
});
