import fc from "fast-check";
import { pmt } from "financial";
import { describe, expect, it } from "vitest";
import { amortise, levelPayment, monthlyInterest, splitEvenly } from "../src/money";
import { runs } from "./runs";

const rate = (aprBps: number) => aprBps / 120_000;
/** s_n = Σ_{k<n} (1+r)^k, the accumulation factor; equals n when r = 0. */
const accumulation = (r: number, n: number) => (r === 0 ? n : ((1 + r) ** n - 1) / r);
const reference = (principal: number, aprBps: number, months: number) =>
  Math.round(-pmt(rate(aprBps), months, principal));

/**
 * Error bound for the last payment. With p* the exact level payment, δ = p − p* the payment's
 * rounding and ρ_k ∈ (−½, ½] month k's interest rounding, the last payment is
 *   p* + Σ_{k<n} (ρ_k − δ)(1+r)^(n−k) + ρ_n,
 * so it is within s_n − ½ of p*, and within s_n of Math.round(pmt) (itself within ½ of p*).
 * s_n = n at apr 0 and ≈ 63.3 at 3600 bps over 36 months.
 */
const lastPaymentBound = (aprBps: number, months: number) => Math.floor(accumulation(rate(aprBps), months) + 1e-9);

/**
 * Above this exact payment the drift bound (|balance error| < s_k) keeps every balance before the
 * last row ≥ the rows still to come and every principal ≥ 1, so no row is trimmed and all middle rows
 * are level. Below it, `amortise` may trim a middle row to avoid paying a tiny loan off early.
 */
const levelRowsGuaranteed = (principal: number, aprBps: number, months: number) => {
  const r = rate(aprBps);
  const exact = -pmt(r, months, principal);
  return exact >= Math.max((1 + r) * (accumulation(r, months - 1) + months - 1), (1 + r) ** months) + 1;
};

const principalArb = (min: number) =>
  fc.oneof(fc.integer({ min, max: min + 5_000 }), fc.integer({ min, max: 100_000_000_000 }));
const monthsArb = fc.oneof(fc.constantFrom(3, 36), fc.integer({ min: 3, max: 36 }));
const aprArb = fc.oneof(fc.constantFrom(1, 3600), fc.integer({ min: 1, max: 3600 }));
const loanArb = monthsArb.chain((months) => fc.tuple(principalArb(months), aprArb, fc.constant(months)));

describe("monthlyInterest", () => {
  it("rounds half up, exactly, beyond 2^53 intermediate products", () => {
    expect(monthlyInterest(60, 1000)).toBe(1); // 0.5
    expect(monthlyInterest(59, 1000)).toBe(0); // 0.49…
    expect(monthlyInterest(180, 1000)).toBe(2); // 1.5
    expect(monthlyInterest(100_000, 1999)).toBe(1666); // 1665.83…
    expect(monthlyInterest(Number.MAX_SAFE_INTEGER, 3600)).toBe(270_215_977_642_230); // …229.73
  });
});

describe("levelPayment", () => {
  it("matches worked examples", () => {
    expect(levelPayment(100_000, 1999, 12)).toBe(9263); // €1 000 at 19.99 % over a year
    expect(levelPayment(250_000, 3600, 3)).toBe(88_383);
    expect(levelPayment(1000, 0, 3)).toBe(333);
  });

  it("is Math.round(-pmt) from the financial package, within one minor unit", () => {
    fc.assert(
      fc.property(loanArb, ([principal, aprBps, months]) => {
        expect(
          Math.abs(levelPayment(principal, aprBps, months) - reference(principal, aprBps, months)),
        ).toBeLessThanOrEqual(1);
      }),
      { numRuns: runs(250, 4000) },
    );
  });
});

describe("amortise", () => {
  it("matches a worked example (€1 000, 19.99 %, 12 months)", () => {
    const rows = amortise(100_000, 1999, 12);
    expect(rows[0]).toEqual({ principal: 7597, interest: 1666, amount: 9263, balance_after: 92_403 });
    expect(rows[11]).toEqual({ principal: 9111, interest: 152, amount: 9263, balance_after: 0 });
    expect(rows.reduce((s, r) => s + r.interest, 0)).toBe(11_156);
    expect(amortise(250_000, 3600, 3).map((r) => r.amount)).toEqual([88_383, 88_383, 88_382]);
  });

  it("splits zero-interest plans with splitEvenly", () => {
    fc.assert(
      fc.property(
        monthsArb.chain((m) => fc.tuple(principalArb(m), fc.constant(m))),
        ([principal, months]) => {
          const rows = amortise(principal, 0, months);
          expect(rows.map((r) => r.amount)).toEqual(splitEvenly(principal, months));
          expect(rows.every((r) => r.interest === 0 && r.amount === r.principal)).toBe(true);
          expect(rows.at(-1)?.balance_after).toBe(0);
        },
      ),
      { numRuns: runs(100, 1200) },
    );
  });

  it("ends at exactly zero, never increases the balance, and tracks pmt", () => {
    let levelCases = 0;
    fc.assert(
      fc.property(loanArb, ([principal, aprBps, months]) => {
        const rows = amortise(principal, aprBps, months);
        const expected = reference(principal, aprBps, months);
        expect(rows).toHaveLength(months);
        expect(rows.at(-1)?.balance_after).toBe(0);
        expect(rows.reduce((s, r) => s + r.principal, 0)).toBe(principal);

        let balance = principal;
        for (const row of rows) {
          expect(row.amount).toBe(row.principal + row.interest);
          expect(row.amount).toBeGreaterThanOrEqual(1);
          expect(row.principal).toBeGreaterThanOrEqual(0);
          expect(row.interest).toBe(monthlyInterest(balance, aprBps));
          expect(row.balance_after).toBe(balance - row.principal);
          balance = row.balance_after;
        }
        if (levelRowsGuaranteed(principal, aprBps, months)) {
          levelCases++;
          const last = rows.at(-1)?.amount ?? Number.NaN;
          expect(Math.abs(last - expected)).toBeLessThanOrEqual(lastPaymentBound(aprBps, months));
          for (const row of rows.slice(0, -1)) expect(Math.abs(row.amount - expected)).toBeLessThanOrEqual(1);
          for (const row of rows) expect(row.principal).toBeGreaterThanOrEqual(1); // strictly decreasing balance
        }
      }),
      // Not fewer in `pnpm test`: the count of level cases below needs them.
      { numRuns: runs(2000, 8000) },
    );
    expect(levelCases).toBeGreaterThan(1000);
  });

  it("can miss pmt by more than n on the last payment, though never by more than s_n", () => {
    // 36 % over 36 months: the payment's rounding error compounds at 3 % a month for 35 months.
    const rows = amortise(13_089, 3600, 36);
    expect(reference(13_089, 3600, 36)).toBe(600);
    expect(rows.at(-1)?.amount).toBe(562);
    expect(600 - 562).toBeGreaterThan(36);
    expect(600 - 562).toBeLessThanOrEqual(lastPaymentBound(3600, 36));
    expect(lastPaymentBound(3600, 36)).toBe(63);
  });

  it("keeps every row ≥ 1 minor unit for every tiny principal ≥ months (exhaustive)", () => {
    for (const months of [3, 12, 36]) {
      for (const aprBps of [1, 1999, 3600]) {
        for (let principal = months; principal <= 3_000; principal++) {
          const rows = amortise(principal, aprBps, months);
          expect(rows.at(-1)?.balance_after).toBe(0);
          expect(rows.every((r) => r.amount >= 1 && r.principal >= 0)).toBe(true);
        }
      }
    }
  });

  it("rejects principals smaller than the number of payments and bad arguments", () => {
    expect(() => amortise(35, 1999, 36)).toThrow(RangeError);
    expect(() => amortise(1000.5, 1999, 12)).toThrow(RangeError);
    expect(() => amortise(1000, -1, 12)).toThrow(RangeError);
    expect(() => amortise(1000, 1999, 0)).toThrow(RangeError);
  });
});
