import { multiRowInserts } from "../../../lib/sql";
import type { AppendTable } from "../../../projection/message";
import {
  APPEND_TABLES,
  type Marks,
  type OutboxRow,
  type ProjectedPurchase,
  type ProjectionQueue,
  pushOutbox,
} from "./projection";
import type { CustomerRow } from "./rows";

/**
 * What of this customer D1 still lacks, and the bookkeeping of copying it: the outbox of
 * changed objects, and how far the append-only tables (ledger, events, installment log) have been
 * handed to the projection queue, which takes them on to D1.
 *
 * What the queue accepts is remembered in memory and written down by `commitAcknowledged()` inside the
 * next command's transaction, rather than in a commit of its own; until then it must not
 * count as pending.
 */
export class Outbox {
  private acknowledged: OutboxRow[] = [];
  private marks: Marks | undefined;
  private marksDirty = false;

  /** `ready`: whether the object's tables exist yet. */
  constructor(
    private readonly sql: SqlStorage,
    private readonly ready: () => boolean,
  ) {}

  /** Marks an object changed at `version`. Call inside the change's transaction. */
  enqueue(kind: OutboxRow["kind"], id: string, version: number): void {
    this.sql.exec(
      `INSERT INTO outbox (kind, object_id, version) VALUES (?, ?, ?)
       ON CONFLICT (kind, object_id) DO UPDATE SET version = MAX(version, excluded.version)`,
      kind,
      id,
      version,
    );
  }

  /**
   * Hands everything pending to the projection queue; throws if the queue refuses, leaving it
   * pending (what it had accepted before is not sent again).
   */
  async project(queue: ProjectionQueue, customer: CustomerRow, purchase: (id: string) => ProjectedPurchase | null) {
    // A long test-clock advance can append more rows than one push takes: send them all now, so
    // the reports see them at once rather than at the projection retry.
    for (let first = true, more = true; more; first = false) {
      const taken = this.takenVersions();
      const isTaken = (row: OutboxRow) => (taken.get(`${row.kind}:${row.object_id}`) ?? -1) >= row.version;
      const pushed = await pushOutbox(queue, this.sql, customer, purchase, this.readMarks(), isTaken, first);
      this.acknowledged.push(...pushed.delivered);
      this.marksDirty ||= APPEND_TABLES.some((table) => pushed.marks[table] !== this.marks?.[table]);
      this.marks = pushed.marks;
      more = pushed.more;
    }
  }

  /** Records what D1 has acknowledged. Call inside a transaction. */
  commitAcknowledged(): void {
    if (this.marksDirty && this.marks) {
      const [upsert] = multiRowInserts("INSERT", "projection_marks", ["name", "last"], Object.entries(this.marks));
      if (upsert) {
        const params = upsert.params as SqlStorageValue[];
        this.sql.exec(`${upsert.sql} ON CONFLICT (name) DO UPDATE SET last = MAX(last, excluded.last)`, ...params);
      }
      this.marksDirty = false;
    }
    const acknowledged = this.acknowledged.splice(0);
    // Three bound parameters a row, within the limit of 100 a statement.
    for (let k = 0; k < acknowledged.length; k += 33) {
      const rows = acknowledged.slice(k, k + 33);
      this.sql.exec(
        `DELETE FROM outbox WHERE ${rows.map(() => "(kind = ? AND object_id = ? AND version <= ?)").join(" OR ")}`,
        ...rows.flatMap((row) => [row.kind, row.object_id, row.version]),
      );
    }
  }

  /**
   * Sends a table's rows again from the start (the sweep found D1 lacking some): D1 ignores those it
   * has. Call inside a transaction, with no push running, which would move the mark on again.
   */
  rewind(table: AppendTable): void {
    this.sql.exec("UPDATE projection_marks SET last = 0 WHERE name = ?", table);
    if (this.marks) this.marks[table] = 0;
  }

  /** The number of rows of each append-only table, to compare with D1's. */
  counts(): Marks {
    return Object.fromEntries(
      APPEND_TABLES.map((table) => [table, this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n]),
    ) as Marks;
  }

  /** Whether anything is still to reach D1: an object not acknowledged, or append-only rows not copied. */
  pending(): boolean {
    return this.backlog() > 0;
  }

  /** How much is still to reach D1: objects not acknowledged, plus append-only rows not copied. */
  backlog(): number {
    if (!this.ready()) return 0;
    const acknowledged = this.takenVersions();
    const unacknowledged = this.sql
      .exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox")
      .toArray()
      .filter((r) => (acknowledged.get(`${r.kind}:${r.object_id}`) ?? -1) < r.version).length;
    const marks = this.readMarks();
    const last = this.sql
      .exec<Record<string, number | null>>(
        `SELECT ${APPEND_TABLES.map((table) => `(SELECT MAX(id) FROM ${table}) AS ${table}`).join(", ")}`,
      )
      .one();
    // Append-only ids only grow, so the rows past a table's mark are the ones not copied yet.
    return APPEND_TABLES.reduce((n, table) => n + Math.max(0, (last[table] ?? 0) - marks[table]), unacknowledged);
  }

  /** The highest version of each object the queue has taken since the last commit. */
  private takenVersions(): Map<string, number> {
    const taken = new Map<string, number>();
    for (const r of this.acknowledged) {
      const key = `${r.kind}:${r.object_id}`;
      taken.set(key, Math.max(taken.get(key) ?? -1, r.version));
    }
    return taken;
  }

  private readMarks(): Marks {
    this.marks ??= {
      ...(Object.fromEntries(APPEND_TABLES.map((table) => [table, 0])) as Marks),
      ...Object.fromEntries(
        this.sql
          .exec<{ name: string; last: number }>("SELECT name, last FROM projection_marks")
          .toArray()
          .map((r) => [r.name, r.last]),
      ),
    };
    return this.marks;
  }
}
