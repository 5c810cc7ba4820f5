import { type CollectionInstallment, fees, IN_FLIGHT, OWED } from "./installment";
import { type Refusal, refuse } from "./refusal";

/** What a refund took off one unpaid installment. */
export interface InstallmentReduction {
  number: number;
  principal: number;
  interest: number;
  fees: number;
  /** No principal is left, so the installment is refunded and nothing on it is owed any more. */
  removed: boolean;
}

/** Principal of a paid installment given back to the customer through the processor. */
export interface CashReturn {
  number: number;
  amount: number;
}

export interface RefundAllocation {
  amount: number;
  reductions: InstallmentReduction[];
  cashReturns: CashReturn[];
  principalWaived: number;
  interestWaived: number;
  feesWaived: number;
  cash: number;
  /** The schedule after the refund. */
  installments: CollectionInstallment[];
}

export type RefundResult =
  | ({ ok: true } & RefundAllocation)
  | Refusal<"invalid_amount" | "charge_in_flight" | "exceeds_refundable">;

/**
 * Refunds give back the merchant's price, never interest or fees already paid: those paid for
 * credit and lateness the customer had. So what can still be refunded is the principal not yet
 * waived or given back.
 */
export function refundable(installments: readonly CollectionInstallment[]): number {
  return installments
    .filter((i) => OWED.has(i.status) || i.status === "paid")
    .reduce((sum, i) => sum + i.principal - i.cash_refunded, 0);
}

/** ⌈a·b / c⌉ exactly: a·b can pass 2^53 for large amounts. */
function mulDivCeil(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b) + BigInt(c) - 1n) / BigInt(c));
}

/**
 * Takes principal off an unpaid installment. Interest goes down in proportion, rounded in the
 * customer's favour: interest is owed only on principal still owed. An installment left with no
 * principal is removed, and its fees are waived with it.
 */
function waive(
  installment: CollectionInstallment,
  take: number,
): { next: CollectionInstallment; cut: InstallmentReduction } {
  const removed = take === installment.principal;
  const interest = removed ? installment.interest : mulDivCeil(installment.interest, take, installment.principal);
  const cut = { number: installment.number, principal: take, interest, fees: removed ? fees(installment) : 0, removed };
  // A removed installment keeps its amounts as the record of what the refund took away.
  const next: CollectionInstallment = removed
    ? { ...installment, status: "refunded" }
    : {
        ...installment,
        principal: installment.principal - take,
        interest: installment.interest - interest,
        amount: installment.amount - take - interest,
      };
  return { next, cut };
}

function giveBack(installment: CollectionInstallment, take: number): CollectionInstallment {
  const cash_refunded = installment.cash_refunded + take;
  return { ...installment, cash_refunded, status: cash_refunded === installment.principal ? "refunded" : "paid" };
}

/**
 * Splits a refund of `amount` (merchant price, minor units) over the schedule. It first lowers
 * what is still owed, last installment first, so the customer's next payments stay as planned;
 * only once nothing is owed does it give collected money back in cash, again last paid first.
 * The walk stops at the first installment that keeps some principal.
 */
export function allocateRefund(installments: readonly CollectionInstallment[], amount: number): RefundResult {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    return refuse("invalid_amount", `a refund must be a positive integer of minor units, got ${amount}`);
  }
  const inFlight = installments.find((i) => IN_FLIGHT.has(i.status));
  if (inFlight) {
    return refuse(
      "charge_in_flight",
      `installment ${inFlight.number} is being charged; refund once the processor has answered`,
    );
  }
  const available = refundable(installments);
  if (amount > available) {
    return refuse("exceeds_refundable", `refund of ${amount} exceeds the ${available} that can still be refunded`);
  }

  const lastFirst = [...installments].sort((a, b) => b.number - a.number);
  const walk = [...lastFirst.filter((i) => OWED.has(i.status)), ...lastFirst.filter((i) => i.status === "paid")];
  const after = new Map(installments.map((i) => [i.number, i]));
  const reductions: InstallmentReduction[] = [];
  const cashReturns: CashReturn[] = [];
  let left = amount;
  for (const installment of walk) {
    const take = Math.min(left, installment.principal - installment.cash_refunded);
    let next: CollectionInstallment;
    if (installment.status === "paid") {
      next = giveBack(installment, take);
      if (take > 0) cashReturns.push({ number: installment.number, amount: take });
    } else {
      const waived = waive(installment, take);
      next = waived.next;
      if (take > 0 || waived.cut.removed) reductions.push(waived.cut);
    }
    after.set(installment.number, next);
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
    installments: installments.map((i) => after.get(i.number) ?? i),
  };
}
