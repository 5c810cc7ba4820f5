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

const UPSERT_PURCHASE = `INSERT INTO purchases
  (id, merchant_id, livemode, customer_id, status, amount, currency, created_at, version, data)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, data = excluded.data
  WHERE excluded.version > purchases.version`;

/**
 * Writes the current state of every outboxed object to D1 in one atomic batch and
 * returns the outbox rows D1 now has; the caller removes them in its next transaction.
 */
export async function projectOutbox(
  d1: D1Database,
  store: SqlStorage,
  customer: CustomerRow,
  purchase: (id: string) => Projected<Purchase> | null,
): Promise<OutboxRow[]> {
  const pending = store
    .exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox")
    .toArray();
  if (pending.length === 0) return [];

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
  if (writes.length > 0) await d1.batch(writes);
  return pending;
}
