import { APPEND_TABLES, type AppendTable } from "../../../projection/message";
import type { Outbox } from "./outbox";
import type { CustomerRow } from "./rows";
import type { CustomerStore } from "./store";

/** What D1 lacks of a customer's object. */
export interface Gap {
  purchases: { id: string; version: number }[];
  /**
   * Purchases D1 holds at their version but in an older shape (from before issue 20's fields), or
   * with fewer refunds than the object (made before refunds were projected): they need a new version.
   */
  outdated: string[];
  customer: boolean;
  /** Append-only tables of which D1 has fewer rows than the object. */
  tables: AppendTable[];
  /** How many of the above. */
  size: number;
}

/** How many rows of each append-only table D1 has of the customer (?1, ?2: its key range; ?3: its purchase ids). */
const D1_COUNTS: Record<AppendTable, string> = {
  ledger: "SELECT COUNT(*) FROM ledger_entries WHERE id > ?1 AND id < ?2",
  events: "SELECT COUNT(*) FROM events WHERE id > ?1 AND id < ?2",
  // The states D1 has counted are listed in their installments' rows (migrations/0012).
  installment_log:
    "SELECT COALESCE(SUM(json_array_length(states)), 0) FROM installments WHERE purchase_id IN (SELECT value FROM json_each(?3))",
};

/**
 * Compares D1 with the object, in one batch of reads: versions of the customer and purchases, and
 * per append-only table the number of rows. A customer's rows are keyed `<customer id>:<row id>`,
 * so they are counted on a range of the primary key (`:` is followed by `;`), and its installments
 * by the keys of its purchases: no index of their own to write.
 */
export async function readModelGap(
  db: D1Database,
  store: CustomerStore,
  outbox: Outbox,
  customer: CustomerRow,
): Promise<Gap> {
  const counts = APPEND_TABLES.map((t) => `(${D1_COUNTS[t]}) AS ${t}`);
  const versions = store.purchaseVersions();
  const [purchases, customerRow, rows, refunds] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        "SELECT id, version, json_type(data, '$.amount_refunded') IS NULL AS old FROM purchases WHERE customer_id = ?",
      )
      .bind(customer.id),
    db.prepare("SELECT version FROM customers WHERE id = ?").bind(customer.id),
    db
      .prepare(`SELECT ${counts.join(", ")}`)
      .bind(`${customer.id}:`, `${customer.id};`, JSON.stringify(versions.map((p) => p.id))),
    db
      .prepare(
        "SELECT purchase_id AS id, COUNT(*) AS n FROM refunds WHERE merchant_id = ? AND livemode = ? AND customer_id = ? GROUP BY 1",
      )
      .bind(customer.merchant_id, customer.livemode, customer.id),
  ]);
  const projected = new Map(purchases?.results.map((r) => [String(r.id), Number(r.version)]));
  const refundsInD1 = new Map(refunds?.results.map((r) => [String(r.id), Number(r.n)]));
  const refundsInObject = store.refundCounts();
  const stale = versions.filter((p) => (projected.get(p.id) ?? 0) < p.version);
  const oldShape = new Set(purchases?.results.filter((r) => Number(r.old) === 1).map((r) => String(r.id)));
  const outdated = versions
    .filter((p) => !stale.includes(p))
    .filter((p) => oldShape.has(p.id) || (refundsInD1.get(p.id) ?? 0) < (refundsInObject.get(p.id) ?? 0))
    .map((p) => p.id);
  const customerStale = Number(customerRow?.results[0]?.version ?? 0) < customer.version;
  const inD1 = rows?.results[0] ?? {};
  const inObject = outbox.counts();
  const tables = APPEND_TABLES.filter((t) => Number(inD1[t] ?? 0) < inObject[t]);
  return {
    purchases: stale,
    outdated,
    customer: customerStale,
    tables,
    size: stale.length + outdated.length + (customerStale ? 1 : 0) + tables.length,
  };
}
