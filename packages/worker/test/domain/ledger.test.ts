import { describe, expect, it } from "vitest";
import {
  ACCOUNTS,
  allocateRefund,
  balance,
  capturePosting,
  feePosting,
  installmentPaidPosting,
  LedgerError,
  type Posting,
  payOff,
  payoffPosting,
  receivable,
  refundPayoutPosting,
  refundPosting,
  writeOffPosting,
} from "../../src/domain/collections";
import { at, captured, withStatus } from "./fixtures";

const sumOf = (p: Posting) => p.lines.reduce((s, l) => s + l.amount, 0);
const balances = (postings: Posting[]) =>
  Object.fromEntries(ACCOUNTS.map((a) => [a, balance(postings, a)]).filter(([, v]) => v !== 0));

describe("posting builders", () => {
  const financing = captured(100_000, "EUR", { type: "financing", months: 12, apr_bps: 1_999 });

  it("capture: the customer owes the total, the merchant is owed the price, interest is unearned", () => {
    expect(capturePosting(financing.purchase)).toEqual({
      event: "capture",
      purchaseId: "pur_test",
      currency: "EUR",
      lines: [
        { account: "customer_receivable", amount: 111_156 },
        { account: "merchant_payable", amount: -100_000 },
        { account: "unearned_interest", amount: -11_156 },
      ],
    });
  });

  it("leaves out zero lines: an interest-free plan posts no interest", () => {
    const { purchase } = captured(10_000, "EUR", { type: "pay_in_full" });
    expect(capturePosting(purchase).lines.map((l) => l.account)).toEqual(["customer_receivable", "merchant_payable"]);
  });

  it("an installment paid with its late fee: cash in, receivable down, its interest earned", () => {
    const first = { ...at(financing.installments, 1), late_fee: 500 };
    const posting = installmentPaidPosting(financing.purchase, first);
    expect(posting.lines).toEqual([
      { account: "processor_clearing", amount: first.amount + 500 },
      { account: "customer_receivable", amount: -(first.amount + 500) },
      { account: "unearned_interest", amount: first.interest },
      { account: "interest_income", amount: -first.interest },
    ]);
  });

  it("fees are owed and earned when added", () => {
    expect(feePosting(financing.purchase, "extension_fee", 200)).toMatchObject({
      event: "extension_fee",
      lines: [
        { account: "customer_receivable", amount: 200 },
        { account: "fee_income", amount: -200 },
      ],
    });
  });

  it("every builder balances", () => {
    for (const posting of [
      capturePosting(financing.purchase),
      installmentPaidPosting(financing.purchase, at(financing.installments, 3)),
      feePosting(financing.purchase, "late_fee", 500),
      refundPayoutPosting(financing.purchase, 700),
    ]) {
      expect(sumOf(posting)).toBe(0);
    }
  });
});

describe("a purchase through the books", () => {
  it("pay_in_4 with a late fee, then a full refund: every account is back to what was earned", () => {
    const { purchase, installments } = captured(10_000, "EUR", { type: "pay_in_n" });
    const postings = [capturePosting(purchase), installmentPaidPosting(purchase, at(installments, 1))];
    postings.push(feePosting(purchase, "late_fee", 500));
    const owed = withStatus(installments, { 1: "paid", 2: "failed" }).map((i) =>
      i.number === 2 ? { ...i, late_fee: 500 } : i,
    );
    expect(receivable(postings, purchase.id)).toBe(7_500 + 500);

    const refund = allocateRefund(owed, 10_000);
    if (!refund.ok) throw new Error(refund.detail);
    postings.push(refundPosting(purchase, refund));
    expect(postings.at(-1)?.lines).toEqual([
      { account: "merchant_payable", amount: 10_000 },
      { account: "customer_receivable", amount: -8_000 },
      { account: "fee_income", amount: 500 },
      { account: "customer_credit", amount: -2_500 },
    ]);
    postings.push(refundPayoutPosting(purchase, refund.cash));
    expect(balances(postings)).toEqual({});
  });

  it("financing paid off early: only interest already due is earned", () => {
    const { purchase, installments } = captured(100_000, "EUR", { type: "financing", months: 12, apr_bps: 1_999 });
    const first = at(installments, 1);
    const postings = [capturePosting(purchase), installmentPaidPosting(purchase, first)];
    const payoff = payOff(withStatus(installments, { 1: "paid" }), new Date(first.due_at));
    if (!payoff.ok) throw new Error(payoff.detail);
    postings.push(payoffPosting(purchase, payoff));
    expect(balances(postings)).toEqual({
      processor_clearing: 100_000 + first.interest,
      merchant_payable: -100_000,
      interest_income: -first.interest,
    });
  });

  it("write-off moves what a failed_final installment still owes to bad debt", () => {
    const { purchase, installments } = captured(100_000, "EUR", { type: "financing", months: 3, apr_bps: 1_200 });
    const postings = [capturePosting(purchase)];
    const lost = withStatus(installments, { 1: "failed_final", 2: "failed_final", 3: "failed_final" });
    postings.push(writeOffPosting(purchase, lost));
    expect(balances(postings)).toEqual({ bad_debt: 100_000, merchant_payable: -100_000 });
    expect(() => writeOffPosting(purchase, installments)).toThrow(LedgerError);
  });
});

describe("guards", () => {
  const { purchase, installments } = captured(10_000, "EUR", { type: "pay_in_n" });

  it("an allocation that does not add up cannot be posted", () => {
    const refund = allocateRefund(installments, 3_000);
    if (!refund.ok) throw new Error(refund.detail);
    expect(() => refundPosting(purchase, { ...refund, cash: 1 })).toThrow(/off balance by -1/);
  });

  it("a posting that moves nothing, or fractions of a minor unit, is a bug", () => {
    expect(() => feePosting(purchase, "late_fee", 0)).toThrow(LedgerError);
    expect(() => feePosting(purchase, "late_fee", 0.5)).toThrow(/not an integer/);
  });

  it("balances one purchase, and refuses to add up currencies", () => {
    const other = captured(5_000, "JPY", { type: "pay_in_full" }).purchase;
    const postings = [capturePosting(purchase), capturePosting({ ...other, id: "pur_other" })];
    expect(receivable(postings, "pur_test")).toBe(10_000);
    expect(receivable(postings, "pur_other")).toBe(5_000);
    expect(() => balance(postings, "customer_receivable")).toThrow(/spans currencies EUR, JPY/);
  });

  it("refunds and payouts keep the customer's credit at zero once paid out", () => {
    const allPaid = installments.map((i) => ({ ...i, status: "paid" as const }));
    const refund = allocateRefund(allPaid, 4_000);
    if (!refund.ok) throw new Error(refund.detail);
    const postings = [refundPosting(purchase, refund), refundPayoutPosting(purchase, refund.cash)];
    expect(balance(postings, "customer_credit")).toBe(0);
    expect(balance(postings, "processor_clearing")).toBe(-4_000);
  });
});
