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

const INSERT_LEDGER_LINE = `INSERT OR IGNORE INTO ledger_entries
  (id, merchant_id, livemode, customer_id, purchase_id, posting, event, currency, account, amount, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_EVENT = `INSERT OR IGNORE INTO events
  (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** Rows of an append-only table copied per flush at most; the rest follow in the next one. */
const APPEND_BATCH = 200;

/** The append-only tables, and how far each has been copied to D1. */
export type Marks = Record<"ledger" | "events", number>;

const UPSERT_PURCHASE = `INSERT INTO purchases
  (id, merchant_id, livemode, customer_id, status, amount, currency, created_at, version, data)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, data = excluded.data
  WHERE excluded.version > purchases.version`;

/**
 * Writes to D1, in one atomic batch, the current state of every outboxed object and the ledger
 * lines and events not copied yet; returns the outbox rows D1 now has and the new marks, which
 * the caller records in its next transaction.
 */
export async function projectOutbox(
  d1: D1Database,
  store: SqlStorage,
  customer: CustomerRow,
  purchase: (id: string) => Projected<Purchase> | null,
  marks: Marks,
): Promise<{ delivered: OutboxRow[]; marks: Marks }> {
  const pending = store
    .exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox")
    .toArray();
  const lines = store
    .exec<LedgerLine & Record<string, SqlStorageValue>>(
      "SELECT * FROM ledger WHERE id > ? ORDER BY id LIMIT ?",
      marks.ledger,
      APPEND_BATCH,
    )
    .toArray();
  const events = store
    .exec<EventRow & Record<string, SqlStorageValue>>(
      "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?",
      marks.events,
      APPEND_BATCH,
    )
    .toArray();
  if (pending.length === 0 && lines.length === 0 && events.length === 0) return { delivered: [], marks };
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
  for (const l of lines) {
    writes.push(
      d1
        .prepare(INSERT_LEDGER_LINE)
        .bind(
          `${customer.id}:${l.id}`,
          customer.merchant_id,
          live,
          customer.id,
          l.purchase_id,
          l.posting,
          l.event,
          l.currency,
          l.account,
          l.amount,
          l.created_at,
        ),
    );
  }
  for (const e of events) {
    writes.push(
      d1
        .prepare(INSERT_EVENT)
        .bind(
          `${customer.id}:${e.id}`,
          customer.merchant_id,
          live,
          customer.id,
          e.type,
          e.purchase_id,
          e.data,
          e.created_at,
        ),
    );
  }
  if (writes.length > 0) await d1.batch(writes);
  return {
    delivered: pending,
    marks: { ledger: lines.at(-1)?.id ?? marks.ledger, events: events.at(-1)?.id ?? marks.events },
  };
}

interface LedgerLine {
  id: number;
  posting: number;
  event: string;
  purchase_id: string;
  currency: string;
  account: string;
  amount: number;
  created_at: string;
}

interface EventRow {
  id: number;
  type: string;
  purchase_id: string | null;
  data: string;
  created_at: string;
}
