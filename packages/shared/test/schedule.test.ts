import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSchedule, installmentCount, PlanError } from "../src/plans";
import { type Plan, PlanSchema } from "../src/schemas/plan";
import { amountArb, anchorArb, currencyArb, planArb } from "./arbitraries";
import { runs } from "./runs";

const anchor = new Date("2026-01-31T10:15:00.000Z");
const plan = (input: unknown): Plan => PlanSchema.parse(input);

describe("buildSchedule worked examples", () => {
  it("pay_in_full: one installment at capture", () => {
    expect(buildSchedule({ amount: 12_000, currency: "EUR", plan: plan({ type: "pay_in_full" }), anchor })).toEqual({
      total: 12_000,
      interest_total: 0,
      installments: [{ number: 1, due_at: "2026-01-31T10:15:00.000Z", amount: 12_000, principal: 12_000, interest: 0 }],
    });
  });

  it("pay_later: one installment `days` later (default 30)", () => {
    const s = buildSchedule({ amount: 5_000, currency: "JPY", plan: plan({ type: "pay_later" }), anchor });
    expect(s.installments.map((i) => [i.due_at, i.amount])).toEqual([["2026-03-02T10:15:00.000Z", 5_000]]);
  });

  it("pay_in_n: remainder on the first part, first part at capture", () => {
    const s = buildSchedule({ amount: 10_000, currency: "KWD", plan: plan({ type: "pay_in_n", n: 3 }), anchor });
    expect(s.installments.map((i) => [i.number, i.due_at, i.amount])).toEqual([
      [1, "2026-01-31T10:15:00.000Z", 3334],
      [2, "2026-02-14T10:15:00.000Z", 3333],
      [3, "2026-02-28T10:15:00.000Z", 3333],
    ]);
  });

  it("financing: monthly on the capture's day, clamped, last payment absorbs rounding", () => {
    const s = buildSchedule({
      amount: 100_000,
      currency: "EUR",
      plan: plan({ type: "financing", months: 12, apr_bps: 1999 }),
      anchor,
    });
    expect(s.interest_total).toBe(11_156);
    expect(s.total).toBe(111_156);
    expect(s.installments.slice(0, 4).map((i) => i.due_at)).toEqual([
      "2026-02-28T10:15:00.000Z",
      "2026-03-31T10:15:00.000Z",
      "2026-04-30T10:15:00.000Z",
      "2026-05-31T10:15:00.000Z",
    ]);
    expect(s.installments.at(-1)).toEqual({
      number: 12,
      due_at: "2027-01-31T10:15:00.000Z",
      amount: 9263,
      principal: 9111,
      interest: 152,
    });
  });
});

describe("buildSchedule properties", () => {
  const caseArb = planArb.chain((p) =>
    fc.record({
      plan: fc.constant(p),
      amount: amountArb(installmentCount(p)),
      currency: currencyArb,
      anchor: anchorArb,
    }),
  );

  it("sums exactly, every amount ≥ 1, due dates non-decreasing, count matches the plan", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const s = buildSchedule(input);
        const { installments } = s;
        expect(installments).toHaveLength(installmentCount(input.plan));
        expect(installments.reduce((sum, i) => sum + i.amount, 0)).toBe(s.total);
        expect(installments.reduce((sum, i) => sum + i.principal, 0)).toBe(input.amount);
        expect(installments.reduce((sum, i) => sum + i.interest, 0)).toBe(s.interest_total);
        expect(s.total).toBe(input.amount + s.interest_total);
        if (input.plan.type !== "financing" || input.plan.apr_bps === 0) expect(s.interest_total).toBe(0);

        installments.forEach((inst, k) => {
          expect(inst.number).toBe(k + 1);
          expect(Number.isSafeInteger(inst.amount) && inst.amount >= 1).toBe(true);
          expect(Number.isSafeInteger(inst.principal) && inst.principal >= 0).toBe(true);
          expect(Number.isSafeInteger(inst.interest) && inst.interest >= 0).toBe(true);
          expect(inst.amount).toBe(inst.principal + inst.interest);
          expect(new Date(inst.due_at).toISOString()).toBe(inst.due_at);
          expect(inst.due_at >= (installments[k - 1]?.due_at ?? "")).toBe(true);
        });
        expect(Date.parse(installments[0]?.due_at ?? "")).toBeGreaterThanOrEqual(input.anchor.getTime());
        if (input.plan.type === "pay_in_n") {
          // The remainder rule: later parts identical, the first one never smaller.
          const [first, ...later] = installments.map((i) => i.amount);
          for (const part of later) expect(part).toBe(later[0]);
          expect(first).toBeGreaterThanOrEqual(later[0] ?? 0);
        }
      }),
      { numRuns: runs(400, 8000) },
    );
  });

  it("rejects every amount below the installment count with amount_too_small_for_plan", () => {
    const tooSmall = planArb
      .filter((p) => installmentCount(p) > 1)
      .chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 1, max: installmentCount(p) - 1 })));
    fc.assert(
      fc.property(tooSmall, currencyArb, ([p, amount], currency) => {
        expect(() => buildSchedule({ amount, currency, plan: p, anchor })).toThrow(
          expect.objectContaining({ name: "PlanError", code: "amount_too_small_for_plan" }),
        );
      }),
      { numRuns: runs(100, 1200) },
    );
  });
});

describe("buildSchedule errors", () => {
  const valid = { amount: 10_000, currency: "EUR", plan: plan({ type: "pay_in_n", n: 4 }), anchor };
  const codeOf = (input: Parameters<typeof buildSchedule>[0]) => {
    try {
      buildSchedule(input);
    } catch (e) {
      expect(e).toBeInstanceOf(PlanError);
      expect(e).toBeInstanceOf(Error);
      return (e as PlanError).code;
    }
    return "no error";
  };

  it.each(["XAU", "XDR", "ABC", "usd", ""])("unsupported currency %j", (currency) => {
    expect(codeOf({ ...valid, currency })).toBe("unsupported_currency");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])("invalid amount %d", (amount) => {
    expect(codeOf({ ...valid, amount })).toBe("invalid_amount");
  });

  it("amounts too small for the plan", () => {
    expect(codeOf({ ...valid, amount: 3 })).toBe("amount_too_small_for_plan");
    expect(codeOf({ ...valid, amount: 4 })).toBe("no error");
    const financing = plan({ type: "financing", months: 36, apr_bps: 3600 });
    expect(codeOf({ ...valid, amount: 35, plan: financing })).toBe("amount_too_small_for_plan");
    expect(codeOf({ ...valid, amount: 36, plan: financing })).toBe("no error");
  });

  it("invalid plans and anchors", () => {
    expect(codeOf({ ...valid, plan: { type: "pay_in_n", n: 0, interval_days: 14 } })).toBe("invalid_plan");
    expect(codeOf({ ...valid, plan: { type: "financing", months: 12, apr_bps: -5 } })).toBe("invalid_plan");
    expect(codeOf({ ...valid, plan: { type: "weekly" } as unknown as Plan })).toBe("invalid_plan");
    expect(codeOf({ ...valid, anchor: new Date(Number.NaN) })).toBe("invalid_anchor");
  });
});
