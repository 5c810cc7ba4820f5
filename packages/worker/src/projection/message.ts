/**
 * A message of the projection queue: what D1 lacks of one customer, handed over by the customer's
 * object (src/objects/customer/storage/projection.ts) and written by the consumer (consumer.ts).
 * A change of several messages is split by size only: each message stands on its own, and any
 * message may arrive twice, late, or before an earlier one.
 */
export interface ProjectionMessage {
  merchantId: string;
  livemode: boolean;
  customerId: string;
  /** The customer object's state, if it changed; the highest version wins in D1. */
  customer?: ObjectState;
  purchases: (ObjectState & {
    id: string;
    status: string;
    amount: number;
    currency: string;
    /** The purchase's refunds at this version; absent from messages sent before refunds were projected. */
    refunds?: RefundState[];
  })[];
  /** New rows of the append-only tables, each by its row id in the customer's table. */
  ledger: LedgerRow[];
  events: EventRow[];
  installment_log: LogRow[];
  /**
   * A redacted customer's events whose objects were personal data, as the redaction rewrote them:
   * D1's copies are overwritten, and so are the webhook deliveries' payloads of them.
   */
  redacted_events?: EventRow[];
}

/** An API object as D1 keeps it: its JSON (`data`) at a version. */
export interface ObjectState {
  version: number;
  created_at: string;
  data: string;
  email?: string | null;
}

/** A refund as D1 keeps it, at its purchase's version: a refund changes only with its purchase. */
export interface RefundState {
  id: string;
  status: string;
  amount: number;
  cash_returned: number;
  created_at: string;
  data: string;
}

export interface LedgerRow {
  id: number;
  purchase_id: string;
  posting: string;
  event: string;
  currency: string;
  account: string;
  amount: number;
  created_at: string;
}

export interface EventRow {
  id: number;
  /** Absent on events from before public ids: D1 keeps them, the webhooks cannot dedupe them. */
  event_id: string | null;
  type: string;
  purchase_id: string | null;
  data: string;
  created_at: string;
}

/** An installment's state as the reports read it. */
export interface InstallmentState {
  due_at: string;
  outcome: string;
  amount: number;
  owed: number;
}

/**
 * A new state of an installment, with the state it replaces (the installment's previous log row,
 * read from the object's own log; none for its first). The row carries its own delta to the
 * rollups, so its effect does not depend on which rows D1 has already, nor on arrival order.
 */
export interface LogRow extends InstallmentState {
  id: number;
  purchase_id: string;
  number: number;
  currency: string;
  status: string;
  at: string;
  prev: InstallmentState | null;
}

/** The append-only tables a message carries, by their names in the customer's object. */
export const APPEND_TABLES = ["ledger", "events", "installment_log"] as const;
export type AppendTable = (typeof APPEND_TABLES)[number];

export function isProjectionMessage(body: unknown): body is ProjectionMessage {
  const b = body as Partial<ProjectionMessage> | null;
  return (
    typeof b === "object" &&
    b !== null &&
    typeof b.merchantId === "string" &&
    typeof b.livemode === "boolean" &&
    typeof b.customerId === "string" &&
    Array.isArray(b.purchases) &&
    APPEND_TABLES.every((t) => Array.isArray(b[t]))
  );
}
