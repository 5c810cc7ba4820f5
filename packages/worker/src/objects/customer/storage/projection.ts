import type { Purchase, Refund } from "@tranche/shared";
import { type Producer, sendPacked } from "../../../lib/queue-send";
import {
  APPEND_TABLES,
  type AppendTable,
  type EventRow,
  type InstallmentState,
  type ProjectionMessage,
} from "../../../projection/message";
import { toCustomer } from "./api-objects";
import type { CustomerRow } from "./rows";

/** An object and its serialised form, so it is stringified once. */
export interface Projected<T> {
  value: T;
  json: string;
}

/** A purchase as D1 is sent it: with its refunds, which change only with it. */
export type ProjectedPurchase = Projected<Purchase> & { refunds: Refund[] };

export interface OutboxRow {
  kind: "customer" | "purchase";
  object_id: string;
  version: number;
}

/** The projection queue as the customer object sends to it; a test swaps in a fake to watch or fail the sends. */
export type ProjectionQueue = Producer<ProjectionMessage>;

/** The append-only tables, and how far each has been handed to the projection queue. */
export type Marks = Record<AppendTable, number>;
export { APPEND_TABLES };

/**
 * Each append-only table's rows as a message carries them. The installment log's carry the state
 * they replace (the installment's previous row), so the consumer needs no read of D1 to take it
 * out of the rollups, whatever order the messages arrive in.
 */
const APPEND_SELECTS: Record<AppendTable, string> = {
  ledger: "SELECT id, purchase_id, posting, event, currency, account, amount, created_at FROM ledger",
  events: "SELECT id, event_id, type, purchase_id, object AS data, created_at FROM events",
  installment_log: `SELECT l.id, l.purchase_id, l.number, l.currency, l.due_at, l.status, l.outcome, l.amount, l.owed,
      l.at, (SELECT json_object('due_at', p.due_at, 'outcome', p.outcome, 'amount', p.amount, 'owed', p.owed)
        FROM installment_log p WHERE p.purchase_id = l.purchase_id AND p.number = l.number AND p.id < l.id
        ORDER BY p.id DESC LIMIT 1) AS prev
    FROM installment_log l`,
};

/**
 * A redacted customer's events whose objects were personal data (the customer, a card): sent with
 * the redacted customer, whose push repeats until the queue takes it, so D1 and the webhook
 * deliveries overwrite the copies they hold (src/projection/).
 */
const REDACTED_EVENTS = `${APPEND_SELECTS.events} WHERE (type LIKE 'customer.%' OR type LIKE 'payment_method.%')
  AND object IS NOT NULL ORDER BY id`;

/** Rows of an append-only table handed over per push at most; the rest follow in the next round. */
const APPEND_BATCH = 500;

type SqlRow = Record<string, SqlStorageValue>;

/** A piece of a message: the customer, a purchase, or a row of an append-only table. */
type Piece =
  | { kind: "customer"; value: NonNullable<ProjectionMessage["customer"]> }
  | { kind: "purchases"; value: ProjectionMessage["purchases"][number] }
  | { kind: AppendTable | "redacted_events"; value: SqlRow };

/**
 * Hands the projection queue, in as few messages as its size limits allow, the current state of
 * every outboxed object and the rows of the append-only tables past their marks; resolves once the
 * queue has accepted them all, with the outbox rows it took and the new marks, which the caller
 * records in its next transaction; `more` if a table had more rows than one push takes.
 * `objects: false` sends only the append-only rows (the objects went first); `taken` says which
 * outbox rows the queue has already taken (their deletion waits for the next transaction).
 */
export async function pushOutbox(
  queue: ProjectionQueue,
  store: SqlStorage,
  customer: CustomerRow,
  purchase: (id: string) => ProjectedPurchase | null,
  marks: Marks,
  taken: (row: OutboxRow) => boolean,
  objects = true,
): Promise<{ delivered: OutboxRow[]; marks: Marks; more: boolean }> {
  const pending = objects
    ? store
        .exec<OutboxRow & SqlRow>("SELECT kind, object_id, version FROM outbox")
        .toArray()
        .filter((row) => !taken(row))
    : [];
  const appended = APPEND_TABLES.map((table) => ({
    table,
    rows: store
      .exec<SqlRow>(`${APPEND_SELECTS[table]} WHERE id > ? ORDER BY id LIMIT ?`, marks[table], APPEND_BATCH)
      .toArray(),
  }));
  if (pending.length === 0 && appended.every((a) => a.rows.length === 0)) return { delivered: [], marks, more: false };

  const pieces: Piece[] = pending.flatMap((row): Piece[] => {
    if (row.kind === "customer") {
      const c = toCustomer(customer);
      const value = { version: row.version, created_at: c.created_at, email: c.email, data: JSON.stringify(c) };
      const redacted = customer.redacted_at ? store.exec<SqlRow>(REDACTED_EVENTS).toArray() : [];
      return [{ kind: "customer", value }, ...redacted.map((e) => ({ kind: "redacted_events" as const, value: e }))];
    }
    const projected = purchase(row.object_id);
    if (!projected) return [];
    const { id, status, amount, currency, created_at } = projected.value;
    const refunds = projected.refunds.map((r) => ({
      id: r.id,
      status: r.status,
      amount: r.amount,
      cash_returned: r.cash_returned,
      created_at: r.created_at,
      data: JSON.stringify(r),
    }));
    const value = { id, status, amount, currency, created_at, version: row.version, data: projected.json, refunds };
    return [{ kind: "purchases", value }];
  });
  for (const { table, rows } of appended) for (const value of rows) pieces.push({ kind: table, value });
  await sendPacked(queue, pieces, (run) => message(customer, run));
  const next = { ...marks };
  for (const { table, rows } of appended) next[table] = Number(rows.at(-1)?.id ?? marks[table]);
  return { delivered: pending, marks: next, more: appended.some((a) => a.rows.length === APPEND_BATCH) };
}

/** A message of a run of pieces. */
function message(customer: CustomerRow, pieces: Piece[]): ProjectionMessage {
  const m: ProjectionMessage = {
    merchantId: customer.merchant_id,
    livemode: customer.livemode === 1,
    customerId: customer.id,
    purchases: [],
    ledger: [],
    events: [],
    installment_log: [],
  };
  for (const p of pieces) {
    if (p.kind === "customer") m.customer = p.value;
    else if (p.kind === "purchases") m.purchases.push(p.value);
    else if (p.kind === "installment_log") {
      const prev = p.value.prev === null ? null : (JSON.parse(String(p.value.prev)) as InstallmentState);
      m.installment_log.push({ ...(p.value as unknown as ProjectionMessage["installment_log"][number]), prev });
    } else if (p.kind === "redacted_events") {
      m.redacted_events = [...(m.redacted_events ?? []), p.value as unknown as EventRow];
    } else (m[p.kind] as unknown[]).push(p.value);
  }
  return m;
}
