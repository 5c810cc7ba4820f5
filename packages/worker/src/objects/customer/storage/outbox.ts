import type { Purchase } from "@tranche/shared";
import {
  APPEND_TABLES,
  type Marks,
  type OutboxRow,
  type Projected,
  type PublishEvents,
  projectOutbox,
} from "./projection";
import type { CustomerRow } from "./rows";

/**
 * What of this customer D1 still lacks, and the bookkeeping of copying it: the outbox of
 * changed objects, and how far the append-only tables (ledger, events, installment log) have been copied.
 *
 * What D1 acknowledges is remembered in memory and written down by `commitAcknowledged()` inside the
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
   * Writes everything pending to D1, one atomic batch per 200 rows a table, and publishes the
   * batches' events; throws if D1 or the publishing refuses, leaving it pending.
   */
  async project(
    d1: D1Database,
    publish: PublishEvents,
    customer: CustomerRow,
    purchase: (id: string) => Projected<Purchase> | null,
  ) {
    // A long test-clock advance can append more rows than one batch takes: send them all now, so
    // the reports see them at once rather than at the projection retry.
    for (let first = true, more = true; more; first = false) {
      const pushed = await projectOutbox(d1, publish, this.sql, customer, purchase, this.readMarks(), first);
      this.acknowledged.push(...pushed.delivered);
      this.marksDirty ||= APPEND_TABLES.some((table) => pushed.marks[table] !== this.marks?.[table]);
      this.marks = pushed.marks;
      more = pushed.more;
    }
  }

  /** Records what D1 has acknowledged. Call inside a transaction. */
  commitAcknowledged(): void {
    if (this.marksDirty && this.marks) {
      for (const [name, last] of Object.entries(this.marks)) {
        this.sql.exec(
          `INSERT INTO projection_marks (name, last) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET last = MAX(last, excluded.last)`,
          name,
          last,
        );
      }
      this.marksDirty = false;
    }
    for (const row of this.acknowledged.splice(0)) {
      this.sql.exec(
        "DELETE FROM outbox WHERE kind = ? AND object_id = ? AND version <= ?",
        row.kind,
        row.object_id,
        row.version,
      );
    }
  }

  /** Whether anything is still to reach D1: an object not acknowledged, or append-only rows not copied. */
  pending(): boolean {
    return this.backlog() > 0;
  }

  /** How much is still to reach D1: objects not acknowledged, plus append-only rows not copied. */
  backlog(): number {
    if (!this.ready()) return 0;
    const acknowledged = new Map(this.acknowledged.map((r) => [`${r.kind}:${r.object_id}`, r.version]));
    const unacknowledged = this.sql
      .exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox")
      .toArray()
      .filter((r) => (acknowledged.get(`${r.kind}:${r.object_id}`) ?? -1) < r.version).length;
    const marks = this.readMarks();
    const max = (table: string) =>
      this.sql.exec<{ m: number | null }>(`SELECT MAX(id) AS m FROM ${table}`).one().m ?? 0;
    // Append-only ids only grow, so the rows past a table's mark are the ones not copied yet.
    return APPEND_TABLES.reduce((n, table) => n + Math.max(0, max(table) - marks[table]), unacknowledged);
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
