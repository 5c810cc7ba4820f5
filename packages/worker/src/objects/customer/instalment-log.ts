import type { InstalmentStatus } from "@tranche/shared";
import { chargeAmount } from "../../domain/collections/instalment";
import { collectionOutcome, OWED_OUTCOMES } from "../../domain/reports/outcome";

interface Current {
  currency: string;
  captured_at: string | null;
  due_at: string;
  status: InstalmentStatus;
  attempts_failed: number;
  amount: number;
  late_fee: number;
  extension_fees: number;
}

/**
 * Appends an instalment's state as of `at` (the customer's time, the same instant its ledger
 * posting carries) to the log that D1 derives the collections report and the aging of
 * receivables from. The ledger says how much is owed; only this log says when it falls due,
 * and keeping every state (not just the latest) lets aging show the book as it stood at any
 * past instant. Call inside the change's transaction, after the instalment's row is written.
 */
export function logInstalment(sql: SqlStorage, purchaseId: string, number: number, at: string): void {
  const i = sql
    .exec<Current & Record<string, SqlStorageValue>>(
      `SELECT p.currency, p.captured_at, i.due_at, i.status, i.attempts_failed, i.amount, i.late_fee, i.extension_fees
       FROM instalments i JOIN purchases p ON p.id = i.purchase_id WHERE i.purchase_id = ? AND i.number = ?`,
      purchaseId,
      number,
    )
    .toArray()[0];
  if (!i) return;
  const outcome = collectionOutcome(i, i.captured_at !== null);
  const amount = chargeAmount(i);
  sql.exec(
    `INSERT INTO instalment_log (purchase_id, number, currency, due_at, status, outcome, amount, owed, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    purchaseId,
    number,
    i.currency,
    i.due_at,
    i.status,
    outcome,
    amount,
    OWED_OUTCOMES.has(outcome) ? amount : 0,
    at,
  );
}
