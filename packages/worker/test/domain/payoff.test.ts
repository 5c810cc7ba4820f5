import { describe, expect, it } from "vitest";
import { payOff } from "../../src/domain/collections";
import { CAPTURED_AT, captured, daysAfter, withStatus } from "./fixtures";

describe("payOff", () => {
  it("pays all remaining principal at once", () => {
    const { installments } = captured(10_000, "EUR", { type: "pay_in_n" });
    const result = payOff(withStatus(installments, { 1: "paid" }), CAPTURED_AT);
    expect(result).toMatchObject({ ok: true, amount: 7_500, principal: 7_500, interest: 0, interestWaived: 0 });
    if (result.ok) expect(result.installments.every((i) => i.status === "paid")).toBe(true);
  });

  it("financing: interest of installments already due is owed, the rest is waived", () => {
    const { installments } = captured(100_000, "EUR", { type: "financing", months: 12, apr_bps: 1_999 });
    const [first, second] = installments;
    if (!first || !second) throw new Error("schedule");
    const overdue = withStatus(installments, { 1: "failed_final" }).map((i) =>
      i.number === 1 ? { ...i, late_fee: 500 } : i,
    );
    const now = daysAfter(first.due_at, 10);
    const result = payOff(overdue, now);
    const allInterest = installments.reduce((s, i) => s + i.interest, 0);
    expect(result).toMatchObject({
      ok: true,
      principal: 100_000,
      interest: first.interest,
      fees: 500,
      interestWaived: allInterest - first.interest,
      amount: 100_000 + first.interest + 500,
    });
    if (!result.ok) return;
    expect(result.installments[0]).toMatchObject({ status: "paid", interest: first.interest });
    expect(result.installments[1]).toMatchObject({ status: "paid", interest: 0, amount: second.principal });
  });

  it("an installment due exactly now owes its interest", () => {
    const { installments } = captured(100_000, "EUR", { type: "financing", months: 3, apr_bps: 1_200 });
    const first = installments[0];
    if (!first) throw new Error("schedule");
    const result = payOff(installments, new Date(first.due_at));
    expect(result).toMatchObject({ ok: true, interest: first.interest });
  });

  it("refuses while a charge is in flight, and when nothing is owed", () => {
    const { installments } = captured(10_000, "EUR", { type: "pay_in_n" });
    expect(payOff(withStatus(installments, { 2: "retrying" }), CAPTURED_AT)).toMatchObject({
      code: "charge_in_flight",
    });
    const done = withStatus(installments, { 1: "paid", 2: "paid", 3: "refunded", 4: "refunded" });
    expect(payOff(done, CAPTURED_AT)).toMatchObject({ ok: false, code: "nothing_owed" });
  });
});
