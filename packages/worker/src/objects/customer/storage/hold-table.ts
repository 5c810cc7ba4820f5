import { insertRows } from "../../../lib/sql";
import type { SqlRow } from "./intent-tables";
import type { HoldRow } from "./rows";

/** The holds of manual captures (holds/): one row per purchase. */
export class HoldTable {
  /** Holds whose call this instance is awaiting: the alarm leaves them to it (holds/send.ts). */
  readonly sending = new Set<string>();

  constructor(private readonly sql: SqlStorage) {}

  insert(row: HoldRow): void {
    insertRows(this.sql, "holds", [row]);
  }

  of(purchaseId: string): HoldRow | undefined {
    return this.sql.exec<SqlRow<HoldRow>>("SELECT * FROM holds WHERE purchase_id = ?", purchaseId).toArray()[0];
  }

  /** The alarm's action for a purchase's hold (holds/plan.ts), whatever its time. */
  dropAction(purchaseId: string): void {
    this.sql.exec("DELETE FROM actions WHERE purchase_id = ? AND type = 'hold'", purchaseId);
  }

  update(row: HoldRow): void {
    this.sql.exec(
      `UPDATE holds SET status = ?, charge_id = ?, expires_at = ?, call_at = ?, attempts = ?, failure = ?
       WHERE purchase_id = ?`,
      row.status,
      row.charge_id,
      row.expires_at,
      row.call_at,
      row.attempts,
      row.failure,
      row.purchase_id,
    );
  }
}
