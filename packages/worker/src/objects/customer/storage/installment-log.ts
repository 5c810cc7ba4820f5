import type { InstallmentStatus } from "@tranche/shared";
import { chargeAmount } from "../../../domain/collections/installment";
import { multiRowInserts } from "../../../lib/sql";
import { collectionOutcome, OWED_OUTCOMES } from "../../../reports/rules/outcome";

interface Current {
  number: number;
  currency: string;
  captured_at: string | null;
  due_at: string;
  status: InstallmentStatus;
  attempts_failed: number;
  amount: number;
  late_fee: number;
  extension_fees: number;
}

/** The installment's last logged state, if any. */
interface Last {
  last_due_at: string | null;
  last_outcome: string | null;
  last_amount: number | null;
  last_owed: number | null;
}

/**
 * Appends the state as of `at` of a purchase's installments `numbers` (the customer's time, the
 * same instant its ledger posting carries) to the log that D1 derives the collections report and
 * the aging of receivables from, each unless nothing the reports read changed. The ledger says
 * how much is owed; only this log says when it falls due, and keeping every such state (not just
 * the latest) lets aging show the book as it stood at any past instant. Call inside the change's
 * transaction, after the installments' rows are written. One read (each state and the last one
 * logged) and one write, whatever the number of installments.
 */
export function logInstallments(sql: SqlStorage, purchaseId: string, numbers: readonly number[], at: string): void {
  if (numbers.length === 0) return;
  const states = sql
    .exec<Current & Last & Record<string, SqlStorageValue>>(
      `SELECT p.currency, p.captured_at, i.number, i.due_at, i.status, i.attempts_failed, i.amount, i.late_fee,
         i.extension_fees, l.due_at AS last_due_at, l.outcome AS last_outcome, l.amount AS last_amount, l.owed AS last_owed
       FROM installments i JOIN purchases p ON p.id = i.purchase_id
       LEFT JOIN installment_log l ON l.id =
         (SELECT MAX(id) FROM installment_log WHERE purchase_id = i.purchase_id AND number = i.number)
       WHERE i.purchase_id = ? AND i.number IN (${numbers.map(() => "?").join(", ")})`,
      purchaseId,
      ...numbers,
    )
    .toArray();
  const byNumber = new Map(states.map((i) => [i.number, i]));
  const rows = [];
  for (const number of numbers) {
    const i = byNumber.get(number);
    if (!i) continue;
    const outcome = collectionOutcome(i, i.captured_at !== null);
    const amount = chargeAmount(i);
    const owed = OWED_OUTCOMES.has(outcome) ? amount : 0;
    // A change the reports cannot see (a charge going to the processor) would cost D1 some fifteen
    // rows written for nothing.
    const same =
      i.last_due_at === i.due_at && i.last_outcome === outcome && i.last_amount === amount && i.last_owed === owed;
    if (!same) rows.push([purchaseId, number, i.currency, i.due_at, i.status, outcome, amount, owed, at]);
  }
  const columns = ["purchase_id", "number", "currency", "due_at", "status", "outcome", "amount", "owed", "at"];
  for (const insert of multiRowInserts("INSERT", "installment_log", columns, rows)) {
    sql.exec(insert.sql, ...(insert.params as SqlStorageValue[]));
  }
}
