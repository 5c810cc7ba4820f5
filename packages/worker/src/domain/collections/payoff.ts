import { type CollectionInstalment, fees, IN_FLIGHT, OWED } from "./instalment";
import { type Refusal, refuse } from "./refusal";

export interface PayoffQuote {
  /** What the customer pays now: principal + interest + fees. */
  amount: number;
  principal: number;
  /** Interest of instalments whose due date has come. */
  interest: number;
  fees: number;
  /** Interest of instalments not yet due, which paying off saves. */
  interestWaived: number;
}

export type Payoff =
  | ({ ok: true; instalments: CollectionInstalment[] } & PayoffQuote)
  | Refusal<"charge_in_flight" | "nothing_owed">;

/**
 * Interest is the price of time: an instalment's interest covers the month that ends on its
 * due date. Paying off settles all remaining principal and every fee, plus the interest of
 * instalments already due (overdue ones owed it in full); interest of a month not yet over is
 * waived whole, not pro-rated by day, which is simple to state and never against the customer.
 */
function interestDue(instalment: CollectionInstalment, now: Date): number {
  return new Date(instalment.due_at).getTime() <= now.getTime() ? instalment.interest : 0;
}

/** Pays every owed instalment at once, `failed_final` ones included (which recovers the purchase). */
export function payOff(instalments: readonly CollectionInstalment[], now: Date): Payoff {
  const inFlight = instalments.find((i) => IN_FLIGHT.has(i.status));
  if (inFlight) {
    return refuse("charge_in_flight", `instalment ${inFlight.number} is being charged; pay off once it settles`);
  }
  const owed = instalments.filter((i) => OWED.has(i.status));
  if (owed.length === 0) return refuse("nothing_owed", "nothing is owed on this purchase");

  const sum = (part: (i: CollectionInstalment) => number) => owed.reduce((s, i) => s + part(i), 0);
  const principal = sum((i) => i.principal);
  const interest = sum((i) => interestDue(i, now));
  const fee = sum(fees);
  const paid = (i: CollectionInstalment): CollectionInstalment => {
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
    instalments: instalments.map((i) => (OWED.has(i.status) ? paid(i) : i)),
  };
}
