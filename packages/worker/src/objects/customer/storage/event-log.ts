import type { EventType } from "@tranche/shared";
import { sequencedId } from "../../../lib/ids";
import { toCustomer, toPaymentMethod, toPurchase, toRefund } from "./api-objects";
import type { PurchaseHistory } from "./purchase-history";
import type { CustomerRow, HoldRow, PaymentMethodRow, PurchaseRow, RefundRow, StoredInstallment } from "./rows";

/** What an event's snapshot is read from: the store, as the transaction has left it. */
interface Objects {
  customer(): CustomerRow | undefined;
  purchase(id: string): PurchaseRow | undefined;
  installments(purchaseId: string): StoredInstallment[];
  refund(id: string): RefundRow | undefined;
  readonly holds: { of(purchaseId: string): HoldRow | undefined };
  history(purchaseId: string): PurchaseHistory;
}

/** An event recorded in the running transaction, still without its public id and object. */
interface Unwritten {
  id: number;
  type: EventType;
  purchase_id: string | null;
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

  /** `purchaseId` is null for an event about the customer (`customer.*`) or a card (`payment_method.*`). */
  record(type: EventType, purchaseId: string | null, number: number | null, data: object, at: string): void {
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
    this.unwritten.push({ id, type, purchase_id: purchaseId, number, data, at });
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
   * Gives each event of this transaction its object: the refund for `refund.*`, the card for
   * `payment_method.*`, the customer for `customer.*`, the purchase otherwise, with the
   * installment's number where there is one and the event's own details.
   */
  snapshot(): void {
    const pending = this.unwritten.splice(0);
    const customer = this.objects.customer();
    if (pending.length === 0 || !customer) return;
    for (const e of pending) {
      const { refund, payment_method: card, ...details } = e.data as { refund?: string; payment_method?: string };
      const object = this.objectOf(e.type, e.purchase_id, refund, card, customer);
      const data = { object: object ?? null, ...(e.number === null ? {} : { installment: e.number }), ...details };
      // The public id's sequence is the row's, as it always was (events are never deleted).
      const eventId = sequencedId("evt", Date.parse(e.at), e.id);
      this.sql.exec("UPDATE events SET object = ?, event_id = ? WHERE id = ?", JSON.stringify(data), eventId, e.id);
    }
  }

  private objectOf(
    type: string,
    purchaseId: string | null,
    refund: string | undefined,
    card: string | undefined,
    customer: CustomerRow,
  ) {
    const o = this.objects;
    const refundRow = refund ? o.refund(refund) : undefined;
    const refunded = refundRow && o.purchase(refundRow.purchase_id);
    if (refundRow) return refunded && toRefund(refundRow, refunded, customer);
    if (card) {
      const row = this.sql
        .exec<PaymentMethodRow & Record<string, SqlStorageValue>>("SELECT * FROM payment_methods WHERE id = ?", card)
        .toArray()[0];
      return row && toPaymentMethod(row, customer);
    }
    if (type.startsWith("customer.")) return toCustomer(customer);
    const purchase = purchaseId ? o.purchase(purchaseId) : undefined;
    return (
      purchase &&
      toPurchase(purchase, o.installments(purchase.id), customer, o.holds.of(purchase.id), o.history(purchase.id))
    );
  }
}
