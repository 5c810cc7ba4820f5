import { insertRows } from "../../../lib/sql";
import { ActionTables, type SqlRow } from "./action-tables";
import { type PurchaseHistory, purchaseHistory } from "./purchase-history";
import type { IntentRow, RefundRow } from "./rows";

export type { SqlRow } from "./action-tables";

/** The refunds and the intents of processor calls: the tables the intents work on (intents/). */
export class IntentTables extends ActionTables {
  insertRefund(row: RefundRow): void {
    insertRows(this.sql, "refunds", [row]);
  }

  refund(id: string): RefundRow | undefined {
    return this.sql.exec<SqlRow<RefundRow>>("SELECT * FROM refunds WHERE id = ?", id).toArray()[0];
  }

  /** A purchase's refunds, newest first: `limit` of them (all if none) after the cursor `before`, if any. */
  refundsOf(purchaseId: string, page: { limit?: number; before?: string } = {}): RefundRow[] {
    return this.sql
      .exec<SqlRow<RefundRow>>(
        "SELECT * FROM refunds WHERE purchase_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
        purchaseId,
        // "~" sorts after every id: no cursor, from the newest.
        page.before ?? "~",
        page.limit ?? -1,
      )
      .toArray();
  }

  /** How many refunds each purchase has: what the sweep compares with D1 (gap.ts). */
  refundCounts(): Map<string, number> {
    const rows = this.sql
      .exec<{ id: string; n: number }>("SELECT purchase_id AS id, COUNT(*) AS n FROM refunds GROUP BY 1")
      .toArray();
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** What a purchase's API object shows of its refunds and charges (purchase-history.ts). */
  history(purchaseId: string): PurchaseHistory {
    return purchaseHistory(this.sql, purchaseId);
  }

  updateRefund(id: string, status: RefundRow["status"], cashReturned: number): void {
    this.sql.exec("UPDATE refunds SET status = ?, cash_returned = ? WHERE id = ?", status, cashReturned, id);
  }

  insertIntent(row: IntentRow): void {
    insertRows(this.sql, "intents", [row]);
  }

  intent(id: string): IntentRow | undefined {
    return this.intents("id = ?", id)[0];
  }

  intentsOf(refundId: string): IntentRow[] {
    return this.intents("refund_id = ? ORDER BY id", refundId);
  }

  pendingIntents(purchaseId: string): IntentRow[] {
    return this.intents("purchase_id = ? AND status = 'pending'", purchaseId);
  }

  /** Pending intents due by `until`, oldest first. */
  dueIntents(until: string): IntentRow[] {
    return this.intents("status = 'pending' AND next_at <= ? ORDER BY next_at, id", until);
  }

  updateIntent(row: Pick<IntentRow, "id" | "status" | "attempts" | "next_at" | "failure">): void {
    this.sql.exec(
      "UPDATE intents SET status = ?, attempts = ?, next_at = ?, failure = ? WHERE id = ?",
      row.status,
      row.attempts,
      row.next_at,
      row.failure,
      row.id,
    );
  }

  private intents(where: string, ...params: SqlStorageValue[]): IntentRow[] {
    return this.sql.exec<SqlRow<IntentRow>>(`SELECT * FROM intents WHERE ${where}`, ...params).toArray();
  }
}
