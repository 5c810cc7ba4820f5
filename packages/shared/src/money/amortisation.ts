import { splitEvenly } from "./split";

export interface AmortisationRow {
  principal: number;
  interest: number;
  amount: number;
  balance_after: number;
}

/** Monthly rate r = aprBps / 10 000 / 12 = aprBps / 120 000; kept as a fraction so maths stays exact. */
const RATE_DENOMINATOR = 120_000n;

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
}

/** round-half-up(num / den) for num ≥ 0, den > 0, exactly. */
function divRoundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** round-half-up(balance × r): BigInt because balance × aprBps can exceed 2^53 for large balances. */
export function monthlyInterest(balance: number, aprBps: number): number {
  return Number(divRoundHalfUp(BigInt(balance) * BigInt(aprBps), RATE_DENOMINATOR));
}

/**
 * round-half-up(P·r / (1 − (1 + r)^−n)), the level monthly payment.
 *
 * Evaluated as the exact rational P·a·g^n / (q·(g^n − q^n)) with a = aprBps, q = 120 000 and
 * g = q + a, so the result is the same on every JavaScript engine (Math.pow is not required to
 * be correctly rounded, and a float result sitting on .5 could round either way).
 * For aprBps = 0 the formula is 0/0; its limit P/n (rounded half up) is returned, although
 * `amortise` splits zero-interest plans with `splitEvenly` instead.
 */
export function levelPayment(principal: number, aprBps: number, months: number): number {
  assertNonNegativeInteger("principal", principal);
  assertNonNegativeInteger("aprBps", aprBps);
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError(`months must be ≥ 1, got ${months}`);
  if (aprBps === 0) return Number(divRoundHalfUp(BigInt(principal), BigInt(months)));
  const a = BigInt(aprBps);
  const gn = (RATE_DENOMINATOR + a) ** BigInt(months);
  const qn = RATE_DENOMINATOR ** BigInt(months);
  return Number(divRoundHalfUp(BigInt(principal) * a * gn, RATE_DENOMINATOR * (gn - qn)));
}

/**
 * Level-payment amortisation with monthly interest rounded half up on the outstanding balance.
 * Every row but the last pays `levelPayment`; the last pays the remaining balance plus its
 * interest, so the schedule ends at exactly zero.
 *
 * Requires principal ≥ months. Under that condition every row's amount is ≥ 1 and no principal
 * is negative: when rounding would pay a tiny loan off early, a middle row's principal is cut
 * so that each later row still has at least one minor unit of principal to repay. This only
 * happens to loans of a few hundred minor units (at most 630 over 36 months, by exhaustive scan);
 * above that every middle row is exactly the level payment.
 */
export function amortise(principal: number, aprBps: number, months: number): AmortisationRow[] {
  assertNonNegativeInteger("principal", principal);
  assertNonNegativeInteger("aprBps", aprBps);
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError(`months must be ≥ 1, got ${months}`);
  if (principal < months) {
    throw new RangeError(`principal ${principal} is smaller than the ${months} payments it must fund`);
  }

  if (aprBps === 0) {
    let balance = principal;
    return splitEvenly(principal, months).map((part) => {
      balance -= part;
      return { principal: part, interest: 0, amount: part, balance_after: balance };
    });
  }

  const payment = levelPayment(principal, aprBps, months);
  const rows: AmortisationRow[] = [];
  let balance = principal;
  for (let month = 1; month <= months; month++) {
    const interest = monthlyInterest(balance, aprBps);
    const rowsAfter = months - month;
    // Invariant: balance ≥ rowsAfter + 1, so the cap is ≥ 1 and, on the last row, equals the balance.
    const principalPaid = rowsAfter === 0 ? balance : Math.min(Math.max(payment - interest, 0), balance - rowsAfter);
    balance -= principalPaid;
    rows.push({ principal: principalPaid, interest, amount: principalPaid + interest, balance_after: balance });
  }
  return rows;
}
