import type { InstallmentStatus } from "@tranche/shared";
import { chargeAmount } from "../../../domain/collections/installment";
import { collectionOutcome, OWED_OUTCOMES } from "../../../reports/rules/outcome";

interface Current {
  currency: string;
  captured_at: string | null;
  due_at: string;
  status: InstallmentStatus;
  attempts_failed: number;
  amount: number;
  late_fee: number;
  extension_fees: number;
}

/**
 * Appends an installment's state as of `at` (the customer's time, the same instant its ledger
 * posting carries) to the log that D1 derives the collections report and the aging of
 * receivables from, unless nothing the reports read changed. The ledger says how much is owed;
 * only this log says when it falls due, and keeping every such state (not just the latest) lets
 * aging show the book as it stood at any past instant. Call inside the change's transaction,
 * after the installment's row is written.
 */
export function logInstallment(sql: SqlStorage, purchaseId: string, number: number, at: string): void {
  const i = sql
    .exec<Current & Record<string, SqlStorageValue>>(
      `SELECT p.currency, p.captured_at, i.due_at, i.status, i.attempts_failed, i.amount, i.late_fee, i.extension_fees
       FROM installments i JOIN purchases p ON p.id = i.purchase_id WHERE i.purchase_id = ? AND i.number = ?`,
      purchaseId,
      number,
    )
    .toArray()[0];
  if (!i) return;
  const outcome = collectionOutcome(i, i.captured_at !== null);
  const amount = chargeAmount(i);
  const owed = OWED_OUTCOMES.has(outcome) ? amount : 0;
  // A change the reports cannot see (a charge going to the processor) would cost D1 some fifteen
  // rows written for nothing.
  const last = sql
    .exec<{ due_at: string; outcome: string; amount: number; owed: number }>(
      "SELECT due_at, outcome, amount, owed FROM installment_log WHERE purchase_id = ? AND number = ? ORDER BY id DESC LIMIT 1",
      purchaseId,
      number,
    )
    .toArray()[0];
  if (last && last.due_at === i.due_at && last.outcome === outcome && last.amount === amount && last.owed === owed)
    return;
  sql.exec(
    `INSERT INTO installment_log (purchase_id, number, currency, due_at, status, outcome, amount, owed, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    purchaseId,
    number,
    i.currency,
    i.due_at,
    i.status,
    outcome,
    amount,
    owed,
    at,
  );
}
