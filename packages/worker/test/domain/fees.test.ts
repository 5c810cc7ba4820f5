import { describe, expect, it } from "vitest";
import {
  assessLateFee,
  type CollectionInstallment,
  DEFAULT_POLICY,
  extensionFee,
  lateFeeCap,
  majorToMinor,
} from "../../src/domain/collections";
import { captured, withStatus } from "./fixtures";

describe("majorToMinor", () => {
  it("converts whole major units with the currency exponent", () => {
    expect([majorToMinor(5, "EUR"), majorToMinor(5, "JPY"), majorToMinor(5, "KWD")]).toEqual([500, 5, 5000]);
  });

  it("refuses a currency it cannot convert", () => {
    expect(() => majorToMinor(5, "XAU")).toThrow(RangeError);
  });
});

describe("lateFeeCap: the lower of 25% of the purchase and 25 major units", () => {
  it.each([
    [10_000, "EUR", 2_500],
    [1_000, "EUR", 250],
    [1_000_000, "EUR", 2_500],
    [999, "EUR", 249],
    [10_000, "JPY", 25],
    [10_000, "KWD", 2_500],
  ])("%i %s → %i", (amount, currency, cap) => {
    expect(lateFeeCap({ amount, currency }, DEFAULT_POLICY)).toBe(cap);
  });
});

describe("assessLateFee", () => {
  it("adds the 5 major unit fee to the installment", () => {
    const { purchase, installments } = captured(100_000, "EUR", { type: "pay_in_n" });
    const result = assessLateFee(purchase, withStatus(installments, { 2: "failed" }), 2, DEFAULT_POLICY);
    expect(result.fee).toBe(500);
    expect(result.installments.map((i) => i.late_fee)).toEqual([0, 500, 0, 0]);
  });

  it("cuts the fee to what the cap still allows, then adds none", () => {
    const { purchase, installments } = captured(1_000, "EUR", { type: "pay_in_n" });
    const owed = withStatus(installments, { 1: "failed", 2: "failed" });
    const once = assessLateFee(purchase, owed, 1, DEFAULT_POLICY);
    expect(once.fee).toBe(250);
    expect(assessLateFee(purchase, once.installments, 2, DEFAULT_POLICY).fee).toBe(0);
  });

  it("the cap covers the whole purchase: a 12-month plan pays at most 25 EUR in late fees", () => {
    const { purchase, installments } = captured(1_000_000, "EUR", { type: "financing", months: 12, apr_bps: 0 });
    let rows: CollectionInstallment[] = installments.map((i) => ({ ...i, status: "failed_final" }));
    const fees: number[] = [];
    for (const i of installments) {
      const result = assessLateFee(purchase, rows, i.number, DEFAULT_POLICY);
      rows = result.installments;
      fees.push(result.fee);
    }
    expect(fees).toEqual([500, 500, 500, 500, 500, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("adds nothing to an installment that is no longer owed or already has its fee", () => {
    const { purchase, installments } = captured(100_000, "EUR", { type: "pay_in_n" });
    expect(assessLateFee(purchase, withStatus(installments, { 1: "paid" }), 1, DEFAULT_POLICY).fee).toBe(0);
    const once = assessLateFee(purchase, withStatus(installments, { 1: "failed" }), 1, DEFAULT_POLICY);
    expect(assessLateFee(purchase, once.installments, 1, DEFAULT_POLICY)).toEqual({
      installments: once.installments,
      fee: 0,
    });
  });
});

describe("extensionFee", () => {
  it("is free by default and converted like every fixed amount", () => {
    expect(extensionFee("EUR", DEFAULT_POLICY)).toBe(0);
    expect(extensionFee("KWD", { ...DEFAULT_POLICY, extension: { ...DEFAULT_POLICY.extension, fee_major: 2 } })).toBe(
      2_000,
    );
  });
});
