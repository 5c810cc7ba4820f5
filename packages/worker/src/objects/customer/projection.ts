import type { Purchase } from "@tranche/shared";
import type { CustomerRow } from "./rows";
import { toCustomer } from "./rows";

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
 * The append-only tables copied to D1 line by line, keyed by `<customer id>:<row id>`, so that
 * copying a row twice is a no-op (and D1's triggers, which roll rows up for the reports, fire
 * once per row). Each maps a row of the customer's table to the values after merchant, mode and
 * customer.
 */
const APPENDS = {
  ledger: {
    insert: `INSERT OR IGNORE INTO ledger_entries
      (id, merchant_id, livemode, customer_id, purchase_id, posting, event, currency, account, amount, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (r: SqlRow) => [r.purchase_id, r.posting, r.event, r.currency, r.account, r.amount, r.created_at],
  },
  events: {
    insert: `INSERT OR IGNORE INTO events
      (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (r: SqlRow) => [r.type, r.purchase_id, r.data, r.created_at],
  },
  instalment_log: {
    insert: `INSERT OR IGNORE INTO instalment_log
      (id, merchant_id, livemode, customer_id, seq, purchase_id, number, currency, due_at, status, outcome, amount, owed, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (r: SqlRow) => [
      r.id,
      r.purchase_id,
      r.number,
      r.currency,
      r.due_at,
      r.status,
      r.outcome,
      r.amount,
      r.owed,
      r.at,
    ],
  },
} satisfies Record<string, { insert: string; values: (row: SqlRow) => unknown[] }>;

type SqlRow = Record<string, SqlStorageValue>;

/** Rows of an append-only table copied per flush at most; the rest follow in the next one. */
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
 * than one batch takes.
 */
export async function projectOutbox(
  d1: D1Database,
  store: SqlStorage,
  customer: CustomerRow,
  purchase: (id: string) => Projected<Purchase> | null,
  marks: Marks,
): Promise<{ delivered: OutboxRow[]; marks: Marks; more: boolean }> {
  const pending = store
    .exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox")
    .toArray();
  const appended = APPEND_TABLES.map((table) => ({
    table,
    rows: store
      .exec<SqlRow>(`SELECT * FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`, marks[table], APPEND_BATCH)
      .toArray(),
  }));
  if (pending.length === 0 && appended.every((a) => a.rows.length === 0)) return { delivered: [], marks, more: false };
  const live = customer.livemode;

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
  for (const { table, rows } of appended) {
    const statement = d1.prepare(APPENDS[table].insert);
    for (const r of rows) {
      writes.push(
        statement.bind(`${customer.id}:${r.id}`, customer.merchant_id, live, customer.id, ...APPENDS[table].values(r)),
      );
    }
  }
  if (writes.length > 0) await d1.batch(writes);
  const next = { ...marks };
  for (const { table, rows } of appended) next[table] = Number(rows.at(-1)?.id ?? marks[table]);
  return { delivered: pending, marks: next, more: appended.some((a) => a.rows.length === APPEND_BATCH) };
}
