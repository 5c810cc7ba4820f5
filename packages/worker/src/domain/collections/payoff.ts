import { type CollectionInstallment, fees, IN_FLIGHT, OWED } from "./installment";
import { type Refusal, refuse } from "./refusal";

export interface PayoffQuote {
  /** What the customer pays now: principal + interest + fees. */
  amount: number;
  principal: number;
  /** Interest of installments whose due date has come. */
  interest: number;
  fees: number;
  /** Interest of installments not yet due, which paying off saves. */
  interestWaived: number;
}

export type Payoff =
  | ({ ok: true; installments: CollectionInstallment[] } & PayoffQuote)
  | Refusal<"charge_in_flight" | "nothing_owed">;

/**
 * Interest is the price of time: an installment's interest covers the month that ends on its
 * due date. Paying off settles all remaining principal and every fee, plus the interest of
 * installments already due (overdue ones owed it in full); interest of a month not yet over is
 * waived whole, not pro-rated by day, which is simple to state and never against the customer.
 */
function interestDue(installment: CollectionInstallment, now: Date): number {
  return new Date(installment.due_at).getTime() <= now.getTime() ? installment.interest : 0;
}

/** Pays every owed installment at once, `failed_final` ones included (which recovers the purchase). */
export function payOff(installments: readonly CollectionInstallment[], now: Date): Payoff {
  const inFlight = installments.find((i) => IN_FLIGHT.has(i.status));
  if (inFlight) {
    return refuse(
      "charge_in_flight",
      `installment ${inFlight.number} is being charged; pay off once the processor has answered`,
    );
  }
  const owed = installments.filter((i) => OWED.has(i.status));
  if (owed.length === 0) return refuse("nothing_owed", "nothing is owed on this purchase");

  const sum = (part: (i: CollectionInstallment) => number) => owed.reduce((s, i) => s + part(i), 0);
  const principal = sum((i) => i.principal);
  const interest = sum((i) => interestDue(i, now));
  const fee = sum(fees);
  const paid = (i: CollectionInstallment): CollectionInstallment => {
    const kept = interestDue(i, now);
    return { ...i, status: "paid", interest: kept, amount: i.principal + kept };
  };
  return {
    ok: true,
    amount: principal + interest + fee,
    principal,
    interest,
    fees: fee,
    interestWaived: sum((i) => i.interest) - interest,
    installments: installments.map((i) => (OWED.has(i.status) ? paid(i) : i)),
  };
}
