import type { Purchase } from "@tranche/shared";
import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { customers, purchases } from "../../db/schema";
import type { CustomerRow } from "./rows";
import { toCustomer } from "./rows";

interface OutboxRow {
  kind: "customer" | "purchase";
  object_id: string;
  version: number;
}

/**
 * Writes the current state of every outboxed object to D1 in one atomic batch,
 * then clears the rows it delivered. Upserts only ever raise `version`, so a
 * replayed or overtaken projection cannot roll the read model back.
 */
export async function projectOutbox(
  d1: D1Database,
  store: SqlStorage,
  customer: CustomerRow,
  purchase: (id: string) => Purchase | null,
): Promise<void> {
  const pending = store
    .exec<OutboxRow & Record<string, SqlStorageValue>>("SELECT kind, object_id, version FROM outbox")
    .toArray();
  if (pending.length === 0) return;

  const db = drizzle(d1);
  const writes = pending.flatMap((row): BatchItem<"sqlite">[] => {
    if (row.kind === "customer") {
      const data = toCustomer(customer);
      return [
        db
          .insert(customers)
          .values({
            id: data.id,
            merchantId: customer.merchant_id,
            livemode: data.livemode,
            email: data.email,
            createdAt: data.created_at,
            version: customer.version,
            data,
          })
          .onConflictDoUpdate({
            target: customers.id,
            set: { email: data.email, version: customer.version, data },
            setWhere: sql`excluded.version > ${customers.version}`,
          }),
      ];
    }
    const data = purchase(row.object_id);
    if (!data) return [];
    return [
      db
        .insert(purchases)
        .values({
          id: data.id,
          merchantId: customer.merchant_id,
          livemode: data.livemode,
          customerId: data.customer,
          status: data.status,
          amount: data.amount,
          currency: data.currency,
          createdAt: data.created_at,
          version: row.version,
          data,
        })
        .onConflictDoUpdate({
          target: purchases.id,
          set: { status: data.status, version: row.version, data },
          setWhere: sql`excluded.version > ${purchases.version}`,
        }),
    ];
  });
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);

  for (const row of pending) {
    store.exec(
      "DELETE FROM outbox WHERE kind = ? AND object_id = ? AND version <= ?",
      row.kind,
      row.object_id,
      row.version,
    );
  }
}
