import { multiRowInserts } from "../../../lib/sql";
import type { Action } from "./rows";

export type SqlRow<T> = T & Record<string, SqlStorageValue>;

/** The alarm's timed actions (and, for when it fires next, the pending intents): what the schedule works on (schedule/). */
export class ActionTables {
  constructor(protected readonly sql: SqlStorage) {}

  nextAction(until: string): Action | undefined {
    return this.sql
      .exec<SqlRow<Action>>("SELECT * FROM actions WHERE at <= ? ORDER BY at, purchase_id, number LIMIT 1", until)
      .toArray()[0];
  }

  /** When the schedule next has something to do: the earliest action, or pending intent to send or ask again. */
  nextDueAt(): string | undefined {
    return (
      this.sql
        .exec<{ at: string | null }>(
          `SELECT MIN(at) AS at FROM (SELECT MIN(at) AS at FROM actions
           UNION ALL SELECT MIN(next_at) FROM intents WHERE status = 'pending')`,
        )
        .one().at ?? undefined
    );
  }

  /** One action per installment and type: planning again replaces it. */
  putAction(action: Action): void {
    this.putActions([action]);
  }

  /** `putAction` for several at once, in as few statements as the parameter limit allows (the last one planned wins). */
  putActions(actions: readonly Action[]): void {
    const rows = actions.map((a) => [a.purchase_id, a.number, a.type, a.at]);
    for (const insert of multiRowInserts("INSERT", "actions", ["purchase_id", "number", "type", "at"], rows)) {
      this.sql.exec(
        `${insert.sql} ON CONFLICT (purchase_id, number, type) DO UPDATE SET at = excluded.at`,
        ...(insert.params as SqlStorageValue[]),
      );
    }
  }

  /** Whether this action is still planned as it was (not dropped, not re-planned for another `at`). */
  hasAction(action: Action): boolean {
    return (
      this.sql
        .exec(
          "SELECT 1 FROM actions WHERE purchase_id = ? AND number = ? AND type = ? AND at = ?",
          action.purchase_id,
          action.number,
          action.type,
          action.at,
        )
        .toArray().length > 0
    );
  }

  /** Removes this action, unless it was re-planned meanwhile (another `at`). */
  dropAction(action: Action): void {
    this.sql.exec(
      "DELETE FROM actions WHERE purchase_id = ? AND number = ? AND type = ? AND at = ?",
      action.purchase_id,
      action.number,
      action.type,
      action.at,
    );
  }

  /** Every action of one installment, or of a whole purchase. */
  dropActions(purchaseId: string, number?: number): void {
    if (number === undefined) this.sql.exec("DELETE FROM actions WHERE purchase_id = ?", purchaseId);
    else this.sql.exec("DELETE FROM actions WHERE purchase_id = ? AND number = ?", purchaseId, number);
  }
}
