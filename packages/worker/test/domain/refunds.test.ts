import { describe, expect, it } from "vitest";
import { allocateRefund, type CollectionInstallment, refundable } from "../../src/domain/collections";
import { captured, withStatus } from "./fixtures";

/** pay_in_4 of 100.00 EUR: four parts of 2500, the first paid at capture. */
const payIn4 = withStatus(captured(10_000, "EUR", { type: "pay_in_n" }).installments, { 1: "paid" });

function allocated(installments: readonly CollectionInstallment[], amount: number) {
  const result = allocateRefund(installments, amount);
  if (!result.ok) throw new Error(result.detail);
  return result;
}

describe("allocateRefund: what is still owed goes first, last installment first", () => {
  it("a partial refund removes the last installment and shortens the one before", () => {
    const result = allocated(payIn4, 3_000);
    expect(result.reductions).toEqual([
      { number: 4, principal: 2_500, interest: 0, fees: 0, removed: true },
      { number: 3, principal: 500, interest: 0, fees: 0, removed: false },
    ]);
    expect(result.cash).toBe(0);
    expect(result.installments.map((i) => [i.status, i.amount])).toEqual([
      ["paid", 2_500],
      ["scheduled", 2_500],
      ["scheduled", 2_000],
      ["refunded", 2_500],
    ]);
    expect(refundable(result.installments)).toBe(7_000);
  });

  it("a full refund removes everything owed and returns what was collected in cash", () => {
    const result = allocated(payIn4, 10_000);
    expect(result).toMatchObject({ principalWaived: 7_500, cash: 2_500, cashReturns: [{ number: 1, amount: 2_500 }] });
    expect(result.installments.every((i) => i.status === "refunded")).toBe(true);
  });

  it("once all is paid, cash comes back from the last paid installment first", () => {
    const allPaid = payIn4.map((i) => ({ ...i, status: "paid" as const }));
    const result = allocated(allPaid, 3_000);
    expect(result.cashReturns).toEqual([
      { number: 4, amount: 2_500 },
      { number: 3, amount: 500 },
    ]);
    expect(result.installments.map((i) => [i.status, i.cash_refunded])).toEqual([
      ["paid", 0],
      ["paid", 0],
      ["paid", 500],
      ["refunded", 2_500],
    ]);
    expect(refundable(result.installments)).toBe(7_000);
  });
});

describe("allocateRefund: interest and fees", () => {
  const two: CollectionInstallment[] = [1, 2].map((number) => ({
    ...payIn4[0],
    number,
    status: "scheduled",
    principal: 1_000,
    interest: 30,
    amount: 1_030,
    late_fee: number === 2 ? 500 : 0,
  })) as CollectionInstallment[];

  it("a shortened installment keeps interest only on the principal still owed, rounded for the customer", () => {
    const result = allocated(two, 1_333);
    expect(result.reductions).toEqual([
      { number: 2, principal: 1_000, interest: 30, fees: 500, removed: true },
      { number: 1, principal: 333, interest: 10, fees: 0, removed: false },
    ]);
    expect(result.installments[0]).toMatchObject({ principal: 667, interest: 20, amount: 687 });
    expect(result).toMatchObject({ principalWaived: 1_333, interestWaived: 40, feesWaived: 500, cash: 0 });
  });

  it("interest and fees already paid are not refunded", () => {
    const paid = two.map((i) => ({ ...i, status: "paid" as const }));
    expect(refundable(paid)).toBe(2_000);
    expect(allocated(paid, 2_000)).toMatchObject({ cash: 2_000, interestWaived: 0, feesWaived: 0 });
  });

  it("installments that carry only interest go once all principal after them is gone", () => {
    // 17 minor units over 15 months at 36%: the first 14 rows are interest only.
    const tiny = captured(17, "EUR", { type: "financing", months: 15, apr_bps: 3_600 }).installments;
    expect(tiny.slice(0, 14).every((i) => i.principal === 0 && i.interest > 0)).toBe(true);
    const partial = allocated(tiny, 5);
    expect(partial.reductions.map((r) => r.number)).toEqual([15]);
    const full = allocated(tiny, 17);
    expect(full.installments.every((i) => i.status === "refunded")).toBe(true);
    expect(full.interestWaived).toBe(tiny.reduce((s, i) => s + i.interest, 0));
  });
});

describe("allocateRefund: refusals", () => {
  it("never more than can still be refunded", () => {
    expect(allocateRefund(payIn4, 10_001)).toMatchObject({ ok: false, code: "exceeds_refundable" });
    const after = allocated(payIn4, 3_000).installments;
    expect(allocateRefund(after, 7_001)).toMatchObject({ ok: false, code: "exceeds_refundable" });
    expect(allocateRefund(after, 7_000).ok).toBe(true);
  });

  it("not while a charge is at the processor, and only positive whole amounts", () => {
    expect(allocateRefund(withStatus(payIn4, { 2: "processing" }), 100)).toMatchObject({ code: "charge_in_flight" });
    expect(allocateRefund(payIn4, 0)).toMatchObject({ code: "invalid_amount" });
    expect(allocateRefund(payIn4, 1.5)).toMatchObject({ code: "invalid_amount" });
  });
});
