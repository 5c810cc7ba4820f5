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

/** One row of the history's single read: the refunds' totals, an installment's first paid time, or a charge. */
type HistoryRow = {
  source: "refunds" | "paid" | "charge";
  id: string | null;
  number: number | null;
  amount: number | null;
  returned: number | null;
  kind: string | null;
  status: string | null;
  failure: string | null;
  at: string | null;
};

// One statement, not three: a purchase is rendered several times per command (the answer, its
// events, its projection), and the object's statements are most of what a purchase costs it.
const HISTORY = `
  SELECT 'refunds' AS source, NULL AS id, NULL AS number, COALESCE(SUM(amount), 0) AS amount,
         COALESCE(SUM(cash_returned), 0) AS returned, NULL AS kind, NULL AS status, NULL AS failure, NULL AS at
    FROM refunds WHERE purchase_id = ?
  UNION ALL
  -- The log keeps every state of an installment at the customer's time: its first paid state is when it was paid.
  SELECT 'paid', NULL, number, NULL, NULL, NULL, NULL, NULL, MIN(at)
    FROM installment_log WHERE purchase_id = ? AND status = 'paid' GROUP BY number
  UNION ALL
  SELECT 'charge', id, number, amount, NULL, kind, status, failure, created_at
    FROM intents WHERE purchase_id = ? AND kind IN ('due_charge', 'pay_now') AND number IS NOT NULL`;

export function purchaseHistory(sql: SqlStorage, purchaseId: string): PurchaseHistory {
  const rows = sql
    .exec<HistoryRow & Record<string, SqlStorageValue>>(HISTORY, purchaseId, purchaseId, purchaseId)
    .toArray();
  const totals = rows.find((r) => r.source === "refunds");
  const paidAt = new Map(rows.filter((r) => r.source === "paid").map((r) => [Number(r.number), String(r.at)]));
  const charges = rows
    .filter((r) => r.source === "charge")
    .map((r) => ({ ...r, created_at: String(r.at) }) as unknown as Charge & { id: string })
    // As SQLite's ORDER BY created_at, id would: by code unit, not locale.
    .sort((a, b) => (a.created_at === b.created_at ? cmp(a.id, b.id) : cmp(a.created_at, b.created_at)));
  const attempts = new Map<number, ChargeAttempt[]>();
  for (const c of charges) attempts.set(c.number, [...(attempts.get(c.number) ?? []), toAttempt(c)]);
  return {
    amountRefunded: Number(totals?.amount ?? 0),
    cashReturned: Number(totals?.returned ?? 0),
    paidAt,
    attempts,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
