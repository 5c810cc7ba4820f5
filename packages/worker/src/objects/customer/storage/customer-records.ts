import { OWED } from "../../../domain/collections/installment";
import { toCustomer, toPaymentMethod } from "./api-objects";
import type { CustomerRow, PaymentMethodRow } from "./rows";

/**
 * The customer's own rows as a merchant manages them (issue 20): the customer changed, cards
 * detached, and what still ties the customer to money: the questions a detach and a redaction ask.
 */

const OWED_LIST = [...OWED];
const owedIn = OWED_LIST.map(() => "?").join(", ");

/** Writes the customer row as changed (store.ts `saveCustomer` projects it). */
export function saveCustomer(sql: SqlStorage, row: CustomerRow): void {
  sql.exec(
    `UPDATE customer SET email = ?, name = ?, credit_limits = ?, metadata = ?, default_payment_method = ?,
       redacted_at = ?, version = ? WHERE id = ?`,
    row.email,
    row.name,
    row.credit_limits,
    row.metadata,
    row.default_payment_method,
    row.redacted_at,
    row.version,
    row.id,
  );
}

/** The customer's cards and what still ties the customer to money. */
export class CustomerRecords {
  constructor(private readonly sql: SqlStorage) {}

  detach(id: string, at: string): void {
    this.sql.exec("UPDATE payment_methods SET detached_at = ? WHERE id = ? AND detached_at IS NULL", at, id);
  }

  /**
   * The purchases that depend on a card: charged to it, with an installment still owed or awaiting
   * capture (a hold on the card, which cannot move to another). `held` marks those awaiting capture.
   */
  dependents(cardId: string): { id: string; held: boolean }[] {
    return this.sql
      .exec<{ id: string; held: number }>(
        `SELECT p.id, p.status = 'requires_capture' AS held FROM purchases p WHERE p.payment_method = ? AND (
         p.status = 'requires_capture'
         OR EXISTS (SELECT 1 FROM installments i WHERE i.purchase_id = p.id AND i.status IN (${owedIn})))`,
        cardId,
        ...OWED_LIST,
      )
      .toArray()
      .map((r) => ({ id: r.id, held: r.held === 1 }));
  }

  moveToCard(purchaseId: string, cardId: string): void {
    this.sql.exec("UPDATE purchases SET payment_method = ? WHERE id = ?", cardId, purchaseId);
  }

  /**
   * What money still ties the customer, as the refusal of a redaction names it: an installment owed,
   * a purchase awaiting capture, or a processor call not yet settled (a payment, or a refund's payout:
   * money owed to the customer). Undefined if none.
   */
  moneyOwed(): string | undefined {
    const one = (query: string, ...values: SqlStorageValue[]) => this.sql.exec(query, ...values).toArray().length > 0;
    if (one(`SELECT 1 FROM installments WHERE status IN (${owedIn}) LIMIT 1`, ...OWED_LIST))
      return "an installment is still owed";
    if (one("SELECT 1 FROM purchases WHERE status = 'requires_capture' LIMIT 1"))
      return "a purchase awaits capture (a hold is on the customer's card)";
    if (one("SELECT 1 FROM intents WHERE status = 'pending' LIMIT 1"))
      return "a payment or a refund's payout is in progress";
    if (one("SELECT 1 FROM holds WHERE status IN ('authorising', 'capturing', 'voiding') LIMIT 1"))
      return "a call about a hold on the customer's card is in progress";
    return undefined;
  }

  /**
   * Erases the personal data the object keeps beside the customer row (which the caller has saved
   * redacted): the cards' details (detached, never charged again), the records of Idempotency-Keys
   * whose answers showed the customer or a card (their answers now show the redacted objects, and
   * their fingerprints, hashes of requests that carried the data, are dropped, so a retry of such a
   * key is refused as a reused key), and the objects of the customer's and cards' events. Returns
   * the keys whose records were scrubbed: the customer's creation is among them, whose claim the
   * idempotency shard keeps too. Call inside the redaction's transaction.
   */
  erase(customer: CustomerRow, at: string): string[] {
    this.sql.exec(
      "UPDATE payment_methods SET token = '', brand = '', last4 = '', detached_at = COALESCE(detached_at, ?)",
      at,
    );
    const cards = new Map(
      this.sql
        .exec<PaymentMethodRow & Record<string, SqlStorageValue>>("SELECT * FROM payment_methods")
        .toArray()
        .map((row) => [row.id, toPaymentMethod(row, customer)]),
    );
    const redacted = (object: { object?: string; id?: string } | null | undefined) => {
      if (object?.object === "customer") return toCustomer(customer);
      if (object?.object === "payment_method") return cards.get(object.id ?? "") ?? object;
      return undefined;
    };
    const keys: string[] = [];
    const records = this.sql
      .exec<{ key: string; result: string }>(
        "SELECT idempotency_key AS key, result FROM commands WHERE result IS NOT NULL",
      )
      .toArray();
    for (const { key, result } of records) {
      const parsed = JSON.parse(result) as { ok: boolean; value?: unknown };
      const object = redacted(parsed.ok ? (parsed.value as { object?: string }) : undefined);
      if (!object) continue;
      const scrubbed = JSON.stringify({ ...parsed, value: object });
      this.sql.exec("UPDATE commands SET result = ?, fingerprint = '' WHERE idempotency_key = ?", scrubbed, key);
      keys.push(key);
    }
    const events = this.sql
      .exec<{ id: number; object: string }>(
        "SELECT id, object FROM events WHERE (type LIKE 'customer.%' OR type LIKE 'payment_method.%') AND object IS NOT NULL",
      )
      .toArray();
    for (const e of events) {
      const data = JSON.parse(e.object) as { object?: { object?: string; id?: string } };
      this.sql.exec(
        "UPDATE events SET object = ? WHERE id = ?",
        JSON.stringify({ ...data, object: redacted(data.object) ?? null }),
        e.id,
      );
    }
    return keys;
  }

  /** The keys `erase` scrubbed, while their records last: what a redaction asked again scrubs again. */
  erasedKeys(): string[] {
    return this.sql
      .exec<{ key: string }>("SELECT idempotency_key AS key FROM commands WHERE fingerprint = ''")
      .toArray()
      .map((r) => r.key);
  }
}
