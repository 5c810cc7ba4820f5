import type { EventType } from "@tranche/shared";
import { sequencedId } from "../../../lib/ids";
import { toPurchase, toRefund } from "./api-objects";
import type { CustomerRow, HoldRow, PurchaseRow, RefundRow, StoredInstallment } from "./rows";

/** What an event's snapshot is read from: the store, as the transaction has left it. */
interface Objects {
  customer(): CustomerRow | undefined;
  purchase(id: string): PurchaseRow | undefined;
  installments(purchaseId: string): StoredInstallment[];
  refund(id: string): RefundRow | undefined;
  readonly holds: { of(purchaseId: string): HoldRow | undefined };
}

/** An event recorded in the running transaction, still without its public id and object. */
interface Unwritten {
  id: number;
  purchase_id: string;
  number: number | null;
  data: object;
  at: string;
}

/**
 * The customer's events, as /v1/events and webhooks show them: a public id that sorts by time and
 * then in the order they happened, and the object as the change left it, written at the end of
 * the transaction that made the change (so a payment's event shows the schedule after it). Which
 * events a transaction recorded is kept in memory, not looked up again, so a transaction with no
 * event costs nothing here.
 */
export class EventLog {
  private unwritten: Unwritten[] = [];

  constructor(
    private readonly sql: SqlStorage,
    private readonly objects: Objects,
  ) {}

  record(type: EventType, purchaseId: string, number: number | null, data: object, at: string): void {
    const { id } = this.sql
      .exec<{ id: number }>(
        "INSERT INTO events (type, purchase_id, number, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        type,
        purchaseId,
        number,
        JSON.stringify(data),
        at,
      )
      .one();
    this.unwritten.push({ id, purchase_id: purchaseId, number, data, at });
  }

  /** Where a transaction starts: what it records from here is dropped if it rolls back (`discard`). */
  begin(): number {
    return this.unwritten.length;
  }

  discard(from: number): void {
    this.unwritten.length = Math.min(from, this.unwritten.length);
  }

  /** The details of a purchase's last event of a type, e.g. the processor's code of its `purchase.declined`. */
  dataOf(type: EventType, purchaseId: string): Record<string, unknown> | undefined {
    const row = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM events WHERE type = ? AND purchase_id = ? ORDER BY id DESC LIMIT 1",
        type,
        purchaseId,
      )
      .toArray()[0];
    return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
  }

  /**
   * Gives each event of this transaction its object: the refund for `refund.*`, the purchase
   * otherwise, with the installment's number where there is one and the event's own details.
   */
  snapshot(): void {
    const pending = this.unwritten.splice(0);
    const customer = this.objects.customer();
    if (pending.length === 0 || !customer) return;
    for (const e of pending) {
      const { refund, ...details } = e.data as { refund?: string };
      const refundRow = refund ? this.objects.refund(refund) : undefined;
      const purchase = this.objects.purchase(e.purchase_id);
      const object = refundRow
        ? toRefund(refundRow)
        : purchase &&
          toPurchase(purchase, this.objects.installments(e.purchase_id), customer, this.objects.holds.of(purchase.id));
      const data = { object: object ?? null, ...(e.number === null ? {} : { installment: e.number }), ...details };
      // The public id's sequence is the row's, as it always was (events are never deleted).
      const eventId = sequencedId("evt", Date.parse(e.at), e.id);
      this.sql.exec("UPDATE events SET object = ?, event_id = ? WHERE id = ?", JSON.stringify(data), eventId, e.id);
    }
  }
}
