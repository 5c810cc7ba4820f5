import type { EventType, Purchase } from "@tranche/shared";
import { multiRowInserts } from "../../../lib/sql";
import type { DeliverableEvent } from "../../../webhooks/deliverable";
import { toCustomer } from "./api-objects";
import type { CustomerRow } from "./rows";

/** An object and its serialised form, so it is stringified once. */
export interface Projected<T> {
  value: T;
  json: string;
}

export interface OutboxRow {
  kind: "customer" | "purchase";
  object_id: string;
  version: number;
}

// Raw statements rather than drizzle's builder: this runs on every command, and building the
// query each time cost a measurable share of purchase creation (see `pnpm bench`).
// Upserts only ever raise `version`, so a replayed or overtaken projection cannot roll D1 back.
const UPSERT_CUSTOMER = `INSERT INTO customers (id, merchant_id, livemode, email, created_at, version, data)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET email = excluded.email, version = excluded.version, data = excluded.data
  WHERE excluded.version > customers.version`;

/**
 * The append-only tables copied to D1 row by row, keyed by `<customer id>:<row id>`, so that
 * copying a row twice is a no-op (and D1's triggers, which roll rows up for the reports, fire
 * once per row). Each maps a row of the customer's table to its D1 columns after the key columns.
 */
const APPENDS = {
  ledger: {
    table: "ledger_entries",
    columns: ["purchase_id", "posting", "event", "currency", "account", "amount", "created_at"],
  },
  events: { table: "events", columns: ["event_id", "type", "purchase_id", "data", "created_at"] },
  installment_log: {
    table: "installment_log",
    columns: ["seq", "purchase_id", "number", "currency", "due_at", "status", "outcome", "amount", "owed", "at"],
  },
} as const satisfies Record<string, { table: string; columns: readonly string[] }>;

const KEY_COLUMNS = ["id", "merchant_id", "livemode", "customer_id"] as const;

/** Where a D1 column's value comes from when the customer's column is named otherwise. */
const RENAMED: Record<string, string> = {
  // The log's `seq` is its row id.
  seq: "id",
  // An event's public data is the object it snapshot at the end of its transaction.
  data: "object",
};
const source = (column: string) => RENAMED[column] ?? column;

/** Inserts of an append-only table's rows, a few to a statement (a command appends a dozen). */
function appendStatements(d1: D1Database, name: keyof typeof APPENDS, customer: CustomerRow, rows: SqlRow[]) {
  const { table, columns } = APPENDS[name];
  const values = rows.map((r) => [
    `${customer.id}:${r.id}`,
    customer.merchant_id,
    customer.livemode,
    customer.id,
    ...columns.map((c) => r[source(c)]),
  ]);
  return multiRowInserts("INSERT OR IGNORE", table, [...KEY_COLUMNS, ...columns], values).map((insert) =>
    d1.prepare(insert.sql).bind(...insert.params),
  );
}

type SqlRow = Record<string, SqlStorageValue>;

/** Hands events copied to D1 on to the webhooks; throws if they were not accepted. */
export type PublishEvents = (events: DeliverableEvent[]) => Promise<void>;

/** An event row of the customer's table as the webhooks take it; rows from before public ids have none to dedupe on. */
function deliverable(r: SqlRow): DeliverableEvent[] {
  if (typeof r.event_id !== "string") return [];
  const data: unknown = JSON.parse(String(r.object));
  return [{ id: r.event_id, type: r.type as EventType, created_at: String(r.created_at), data }];
}

/** Rows of an append-only table copied per projection at most; the rest follow in the next one. */
const APPEND_BATCH = 200;

/** The append-only tables, and how far each has been copied to D1. */
export type Marks = Record<keyof typeof APPENDS, number>;
export const APPEND_TABLES = Object.keys(APPENDS) as (keyof typeof APPENDS)[];

const UPSERT_PURCHASE = `INSERT INTO purchases
  (id, merchant_id, livemode, customer_id, status, amount, currency, created_at, version, data)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, data = excluded.data
  WHERE excluded.version > purchases.version`;

/**
 * Writes to D1, in one atomic batch, the current state of every outboxed object and the rows
 * of the append-only tables not copied yet; returns the outbox rows D1 now has and the new
 * marks, which the caller records in its next transaction; `more` if a table had more rows
 * than one batch takes. `objects: false` sends only the append-only rows (the objects went first).
 *
 * The batch's events also go to `publish`, beside the D1 write rather than after it, so the payment
 * path waits for the slower of the two, not their sum. The marks advance only once both accepted:
 * after a failure both are repeated, D1 ignoring what it has and the endpoints deduping by event id.
 */
export async function projectOutbox(
  d1: D1Database,
  publish: PublishEvents,
  store: SqlStorage,
  customer: CustomerRow,
  purchase: (id: string) => Projected<Purchase> | null,
  marks: Marks,
  objects = true,
): Promise<{ delivered: OutboxRow[]; marks: Marks; more: boolean }> {
  const pending = objects
    ? store.exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox").toArray()
    : [];
  const appended = APPEND_TABLES.map((table) => ({
    table,
    rows: store
      .exec<SqlRow>(`SELECT * FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`, marks[table], APPEND_BATCH)
      .toArray(),
  }));
  if (pending.length === 0 && appended.every((a) => a.rows.length === 0)) return { delivered: [], marks, more: false };

  const writes = pending.flatMap((row) => {
    if (row.kind === "customer") {
      const c = toCustomer(customer);
      return [
        d1
          .prepare(UPSERT_CUSTOMER)
          .bind(c.id, customer.merchant_id, customer.livemode, c.email, c.created_at, row.version, JSON.stringify(c)),
      ];
    }
    const projected = purchase(row.object_id);
    if (!projected) return [];
    const p = projected.value;
    return [
      d1
        .prepare(UPSERT_PURCHASE)
        .bind(
          p.id,
          customer.merchant_id,
          customer.livemode,
          p.customer,
          p.status,
          p.amount,
          p.currency,
          p.created_at,
          row.version,
          projected.json,
        ),
    ];
  });
  for (const { table, rows } of appended) writes.push(...appendStatements(d1, table, customer, rows));
  const events = appended.find((a) => a.table === "events")?.rows.flatMap(deliverable) ?? [];
  const outcomes = await Promise.allSettled([
    writes.length > 0 ? d1.batch(writes) : undefined,
    events.length > 0 ? publish(events) : undefined,
  ]);
  // Both finish first, so a failure of one never leaves the other running past the caller.
  for (const o of outcomes) if (o.status === "rejected") throw o.reason;
  const next = { ...marks };
  for (const { table, rows } of appended) next[table] = Number(rows.at(-1)?.id ?? marks[table]);
  return { delivered: pending, marks: next, more: appended.some((a) => a.rows.length === APPEND_BATCH) };
}
