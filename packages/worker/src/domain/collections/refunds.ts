import { type CollectionInstalment, fees, IN_FLIGHT, OWED } from "./instalment";
import { type Refusal, refuse } from "./refusal";

/** What a refund took off one unpaid instalment. */
export interface InstalmentReduction {
  number: number;
  principal: number;
  interest: number;
  fees: number;
  /** No principal is left, so the instalment is refunded and nothing on it is owed any more. */
  removed: boolean;
}

/** Principal of a paid instalment given back to the customer through the processor. */
export interface CashReturn {
  number: number;
  amount: number;
}

export interface RefundAllocation {
  amount: number;
  reductions: InstalmentReduction[];
  cashReturns: CashReturn[];
  principalWaived: number;
  interestWaived: number;
  feesWaived: number;
  cash: number;
  /** The schedule after the refund. */
  instalments: CollectionInstalment[];
}

export type RefundResult =
  | ({ ok: true } & RefundAllocation)
  | Refusal<"invalid_amount" | "charge_in_flight" | "exceeds_refundable">;

/**
 * Refunds give back the merchant's price, never interest or fees already paid: those paid for
 * credit and lateness the customer had. So what can still be refunded is the principal not yet
 * waived or given back.
 */
export function refundable(instalments: readonly CollectionInstalment[]): number {
  return instalments
    .filter((i) => OWED.has(i.status) || i.status === "paid")
    .reduce((sum, i) => sum + i.principal - i.cash_refunded, 0);
}

/** ⌈a·b / c⌉ exactly: a·b can pass 2^53 for large amounts. */
function mulDivCeil(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b) + BigInt(c) - 1n) / BigInt(c));
}

/**
 * Takes principal off an unpaid instalment. Interest goes down in proportion, rounded in the
 * customer's favour: interest is owed only on principal still owed. An instalment left with no
 * principal is removed, and its fees are waived with it.
 */
function waive(
  instalment: CollectionInstalment,
  take: number,
): { next: CollectionInstalment; cut: InstalmentReduction } {
  const removed = take === instalment.principal;
  const interest = removed ? instalment.interest : mulDivCeil(instalment.interest, take, instalment.principal);
  const cut = { number: instalment.number, principal: take, interest, fees: removed ? fees(instalment) : 0, removed };
  // A removed instalment keeps its amounts as the record of what the refund took away.
  const next: CollectionInstalment = removed
    ? { ...instalment, status: "refunded" }
    : {
        ...instalment,
        principal: instalment.principal - take,
        interest: instalment.interest - interest,
        amount: instalment.amount - take - interest,
      };
  return { next, cut };
}

function giveBack(instalment: CollectionInstalment, take: number): CollectionInstalment {
  const cash_refunded = instalment.cash_refunded + take;
  return { ...instalment, cash_refunded, status: cash_refunded === instalment.principal ? "refunded" : "paid" };
}

/**
 * Splits a refund of `amount` (merchant price, minor units) over the schedule. It first lowers
 * what is still owed, last instalment first, so the customer's next payments stay as planned;
 * only once nothing is owed does it give collected money back in cash, again last paid first.
 * The walk stops at the first instalment that keeps some principal.
 */
export function allocateRefund(instalments: readonly CollectionInstalment[], amount: number): RefundResult {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    return refuse("invalid_amount", `a refund must be a positive integer of minor units, got ${amount}`);
  }
  const inFlight = instalments.find((i) => IN_FLIGHT.has(i.status));
  if (inFlight) {
    return refuse("charge_in_flight", `instalment ${inFlight.number} is being charged; refund once it settles`);
  }
  const available = refundable(instalments);
  if (amount > available) {
    return refuse("exceeds_refundable", `refund of ${amount} exceeds the ${available} that can still be refunded`);
  }

  const lastFirst = [...instalments].sort((a, b) => b.number - a.number);
  const walk = [...lastFirst.filter((i) => OWED.has(i.status)), ...lastFirst.filter((i) => i.status === "paid")];
  const after = new Map(instalments.map((i) => [i.number, i]));
  const reductions: InstalmentReduction[] = [];
  const cashReturns: CashReturn[] = [];
  let left = amount;
  for (const instalment of walk) {
    const take = Math.min(left, instalment.principal - instalment.cash_refunded);
    let next: CollectionInstalment;
    if (instalment.status === "paid") {
      next = giveBack(instalment, take);
      if (take > 0) cashReturns.push({ number: instalment.number, amount: take });
    } else {
      const waived = waive(instalment, take);
      next = waived.next;
      if (take > 0 || waived.cut.removed) reductions.push(waived.cut);
    }
    after.set(instalment.number, next);
    left -= take;
    if (next.status !== "refunded") break;
  }

  const sum = (key: "principal" | "interest" | "fees") => reductions.reduce((s, r) => s + r[key], 0);
  return {
    ok: true,
    amount,
    reductions,
    cashReturns,
    principalWaived: sum("principal"),
    interestWaived: sum("interest"),
    feesWaived: sum("fees"),
    cash: cashReturns.reduce((s, c) => s + c.amount, 0),
    instalments: instalments.map((i) => after.get(i.number) ?? i),
  };
}
