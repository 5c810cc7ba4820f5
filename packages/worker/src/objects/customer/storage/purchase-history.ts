import type { ChargeAttempt } from "@tranche/shared";
import type { HoldRow, IntentRow } from "./rows";

/**
 * What a purchase's API object shows of its past beyond its own rows: the totals of its refunds,
 * and per installment when it was paid and the charges made for it. Read from the tables that
 * already record them (refunds, the installment log, the intents), so nothing new is written.
 */
export interface PurchaseHistory {
  amountRefunded: number;
  cashReturned: number;
  /** The customer's time each installment first became paid, by number. */
  paidAt: ReadonlyMap<number, string>;
  /** The charges of each installment alone (due charges, dunning retries, pay now), by number. */
  attempts: ReadonlyMap<number, ChargeAttempt[]>;
}

/** A purchase nothing has happened to yet. */
export const NO_HISTORY: PurchaseHistory = {
  amountRefunded: 0,
  cashReturned: 0,
  paidAt: new Map(),
  attempts: new Map(),
};

const CHARGE_TYPE = { due_charge: "scheduled", pay_now: "customer" } as const;

type Charge = Pick<IntentRow, "kind" | "amount" | "status" | "failure" | "created_at"> & { number: number };

export function purchaseHistory(sql: SqlStorage, purchaseId: string): PurchaseHistory {
  const totals = sql
    .exec<{ refunded: number; returned: number }>(
      "SELECT COALESCE(SUM(amount), 0) AS refunded, COALESCE(SUM(cash_returned), 0) AS returned FROM refunds WHERE purchase_id = ?",
      purchaseId,
    )
    .one();
  // The log keeps every state of an installment at the customer's time: its first paid state is when it was paid.
  const paid = sql
    .exec<{ number: number; at: string }>(
      "SELECT number, MIN(at) AS at FROM installment_log WHERE purchase_id = ? AND status = 'paid' GROUP BY number",
      purchaseId,
    )
    .toArray();
  const charges = sql
    .exec<Charge & Record<string, SqlStorageValue>>(
      `SELECT kind, number, amount, status, failure, created_at FROM intents
       WHERE purchase_id = ? AND kind IN ('due_charge', 'pay_now') AND number IS NOT NULL ORDER BY created_at, id`,
      purchaseId,
    )
    .toArray();
  const attempts = new Map<number, ChargeAttempt[]>();
  for (const c of charges) attempts.set(c.number, [...(attempts.get(c.number) ?? []), toAttempt(c)]);
  return {
    amountRefunded: totals.refunded,
    cashReturned: totals.returned,
    paidAt: new Map(paid.map((p) => [p.number, p.at])),
    attempts,
  };
}

function toAttempt(c: Charge): ChargeAttempt {
  return {
    type: CHARGE_TYPE[c.kind as keyof typeof CHARGE_TYPE],
    attempted_at: c.created_at,
    amount: c.amount,
    outcome: c.status,
    // A pending charge's last failure is a timeout it is asked again after, not its outcome.
    failure_code: c.status === "failed" ? c.failure : null,
  };
}

/**
 * An installment's attempts: its own charges, and the capture of a manual purchase's hold, which
 * took the held money for the installment due at capture when it was paid (holds keep no time of
 * their own).
 */
export function attemptsOf(
  history: PurchaseHistory,
  number: number,
  hold: Pick<HoldRow, "number" | "amount" | "status"> | undefined,
): ChargeAttempt[] {
  const own = history.attempts.get(number) ?? [];
  const capturedAt = hold?.status === "captured" && hold.number === number ? history.paidAt.get(number) : undefined;
  if (!hold || !capturedAt) return own;
  const capture: ChargeAttempt = {
    type: "capture",
    attempted_at: capturedAt,
    amount: hold.amount,
    outcome: "succeeded",
    failure_code: null,
  };
  return [...own, capture].sort((a, b) => (a.attempted_at < b.attempted_at ? -1 : 1));
}
