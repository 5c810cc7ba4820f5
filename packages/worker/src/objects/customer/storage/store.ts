import type { EventType, Purchase } from "@tranche/shared";
import { OWED } from "../../../domain/collections/installment";
import type { Posting } from "../../../domain/collections/ledger";
import { insertRows } from "../../../lib/sql";
import type { AfterCommit } from "./after-commit";
import { CustomerRecords, saveCustomer } from "./customer-records";
import { EventLog } from "./event-log";
import { HoldTable } from "./hold-table";
import { logInstallments } from "./installment-log";
import { IntentTables, type SqlRow } from "./intent-tables";
import type { Outbox } from "./outbox";
import type { CustomerRow, InstallmentRow, PaymentMethodRow, PurchaseRow, StoredInstallment } from "./rows";
import { migrate, schemaVersion } from "./schema";

/**
 * The customer object's SQLite: every query of its own tables, for the commands, the schedule
 * and the intents alike (the refunds and intents in intent-tables.ts, the timed actions in
 * action-tables.ts; the outbox, the installment log, the event log and the simulator's log keep
 * their few statements beside their own logic).
 * Synchronous, so a command's reads and writes can share one `transact`, which is what makes a
 * command atomic. Every write is made inside `transact`.
 */
export class CustomerStore extends IntentTables {
  /** Schema version applied; 0 while the object has never been written. */
  private applied: number;
  /** The customer row, read once: only this object writes it. */
  private customerCache: CustomerRow | undefined;
  /** The test clock, read once (every `clock.now()` asks it): only this object writes it. */
  private frozenCache: { at: string | undefined } | undefined;
  private readonly events: EventLog;
  /** The holds of manual captures. */
  readonly holds: HoldTable;
  readonly records: CustomerRecords;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly outbox: Outbox,
    private readonly afterCommit: AfterCommit,
  ) {
    super(storage.sql);
    this.applied = schemaVersion(this.sql);
    this.events = new EventLog(this.sql, this);
    [this.holds, this.records] = [new HoldTable(this.sql), new CustomerRecords(this.sql)];
  }

  /** Whether the object's tables exist: reads never create them, so looking up an unknown id leaves nothing behind. */
  get ready(): boolean {
    return this.applied > 0;
  }

  /**
   * Runs `writes` atomically; the events they recorded get the objects as the writes left them,
   * and what they deferred to the commit (money reported) runs once it is done.
   */
  transact<T>(writes: () => T): T {
    const events = this.events.begin();
    try {
      return this.afterCommit.around(() =>
        this.storage.transactionSync(() => {
          const result = writes();
          if (this.ready) this.events.snapshot();
          return result;
        }),
      );
    } catch (error) {
      // Rolled back: what was read or recorded in it may never have been.
      this.events.discard(events);
      this.frozenCache = undefined;
      throw error;
    }
  }

  migrate(): void {
    this.applied = migrate(this.storage, this.applied);
  }

  // The customer and their cards.

  customer(): CustomerRow | undefined {
    if (!this.ready) return undefined;
    this.customerCache ??= this.sql.exec<SqlRow<CustomerRow>>("SELECT * FROM customer").toArray()[0];
    return this.customerCache;
  }

  insertCustomer(row: CustomerRow): void {
    insertRows(this.sql, "customer", [row]);
    this.outbox.enqueue("customer", row.id, row.version);
    this.customerCache = row;
  }

  /** The customer changed: a new version, projected to D1. */
  saveCustomer(row: CustomerRow): void {
    saveCustomer(this.sql, row);
    this.outbox.enqueue("customer", row.id, row.version);
    this.customerCache = row;
  }

  insertPaymentMethod(row: PaymentMethodRow): void {
    insertRows(this.sql, "payment_methods", [row]);
  }

  /** The attached cards: a detached one is neither listed nor charged. */
  paymentMethods(): PaymentMethodRow[] {
    const rows = this.sql.exec<SqlRow<PaymentMethodRow>>("SELECT * FROM payment_methods WHERE detached_at IS NULL");
    return rows.toArray().sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  paymentMethodToken(id: string): string | undefined {
    return this.sql
      .exec<{ token: string }>("SELECT token FROM payment_methods WHERE id = ? AND detached_at IS NULL", id)
      .toArray()[0]?.token;
  }

  // Purchases and their installments.

  purchase(id: string): PurchaseRow | undefined {
    return this.sql.exec<SqlRow<PurchaseRow>>("SELECT * FROM purchases WHERE id = ?", id).toArray()[0];
  }

  purchaseVersions(): { id: string; version: number }[] {
    return this.sql.exec<{ id: string; version: number }>("SELECT id, version FROM purchases").toArray();
  }

  insertPurchase(row: PurchaseRow, installments: InstallmentRow[]): void {
    insertRows(this.sql, "purchases", [row]);
    insertRows(this.sql, "installments", installments);
    this.outbox.enqueue("purchase", row.id, row.version);
  }

  /** A new status, capture time or schedule of a purchase (capture, cancel), as a new version for D1. */
  updatePurchase(row: PurchaseRow, installments: InstallmentRow[]): void {
    this.sql.exec(
      "UPDATE purchases SET status = ?, captured_at = ?, version = ? WHERE id = ?",
      row.status,
      row.captured_at,
      row.version,
      row.id,
    );
    for (const i of installments) {
      this.sql.exec(
        "UPDATE installments SET due_at = ?, status = ? WHERE purchase_id = ? AND number = ?",
        i.due_at,
        i.status,
        i.purchase_id,
        i.number,
      );
    }
    this.outbox.enqueue("purchase", row.id, row.version);
  }

  setPurchaseStatus(id: string, status: Purchase["status"]): void {
    this.sql.exec("UPDATE purchases SET status = ? WHERE id = ?", status, id);
  }

  /** Marks a purchase changed: a new version, projected to D1. */
  touch(purchaseId: string): void {
    const [row] = this.sql
      .exec<{ version: number }>(
        "UPDATE purchases SET version = version + 1 WHERE id = ? RETURNING version",
        purchaseId,
      )
      .toArray();
    if (row) this.outbox.enqueue("purchase", purchaseId, row.version);
  }

  installments(purchaseId: string): StoredInstallment[] {
    return this.sql
      .exec<SqlRow<StoredInstallment>>("SELECT * FROM installments WHERE purchase_id = ? ORDER BY number", purchaseId)
      .toArray();
  }

  /** Writes an installment's state as of `at` and logs it for the reports; a charge id, once recorded, is kept. */
  saveInstallment(i: StoredInstallment, at: string): void {
    this.sql.exec(
      `UPDATE installments SET status = ?, attempts_failed = ?, late_fee = ?, extension_fees = ?, extensions = ?,
         cash_refunded = ?, due_at = ?, amount = ?, principal = ?, interest = ?, charge_id = COALESCE(?, charge_id)
       WHERE purchase_id = ? AND number = ?`,
      i.status,
      i.attempts_failed,
      i.late_fee,
      i.extension_fees,
      i.extensions,
      i.cash_refunded,
      i.due_at,
      i.amount,
      i.principal,
      i.interest,
      i.charge_id ?? null,
      i.purchase_id,
      i.number,
    );
    logInstallments(this.sql, i.purchase_id, [i.number], at);
  }

  logInstallments(purchaseId: string, numbers: readonly number[], at: string): void {
    logInstallments(this.sql, purchaseId, numbers, at);
  }

  /** The principal still owed in a currency: what the credit limit is checked against. */
  outstandingPrincipal(currency: string): number {
    const owed = [...OWED].map(() => "?").join(", ");
    return this.sql
      .exec<{ owed: number }>(
        `SELECT COALESCE(SUM(i.principal), 0) AS owed FROM installments i JOIN purchases p ON p.id = i.purchase_id
         WHERE p.currency = ? AND i.status IN (${owed})`,
        currency,
        ...OWED,
      )
      .one().owed;
  }

  // The ledger and the event log.

  /**
   * Writes a balanced posting (the builders refuse unbalanced ones) as ledger lines, numbered
   * after the last posting in the same statement (a posting has a handful of lines, far below
   * the bound parameters' limit).
   */
  post(posting: Posting, at: string): void {
    const tuple = "(?, ?)";
    this.sql.exec(
      `INSERT INTO ledger (posting, event, purchase_id, currency, account, amount, created_at)
       SELECT (SELECT COALESCE(MAX(posting), 0) + 1 FROM ledger), ?, ?, ?, line.column1, line.column2, ?
       FROM (VALUES ${posting.lines.map(() => tuple).join(", ")}) AS line`,
      posting.event,
      posting.purchaseId,
      posting.currency,
      at,
      ...posting.lines.flatMap((line) => [line.account, line.amount]),
    );
  }

  ledgerBefore<T>(to: string): T[] {
    return this.sql
      .exec<SqlRow<T>>(
        "SELECT posting, event, purchase_id, currency, account, amount, created_at FROM ledger WHERE created_at < ? ORDER BY id",
        to,
      )
      .toArray();
  }

  /** Records an event; its object is written when the transaction's writes are done (event-log.ts). */
  event(type: EventType, purchaseId: string | null, number: number | null, data: object, at: string): void {
    this.events.record(type, purchaseId, number, data, at);
  }

  /** Gives the events recorded so far in this transaction their objects now, before its further writes. */
  snapshotEvents(): void {
    this.events.snapshot();
  }

  eventData(type: EventType, purchaseId: string): Record<string, unknown> | undefined {
    return this.events.dataOf(type, purchaseId);
  }

  // The test clock.

  frozenAt(): string | undefined {
    if (!this.ready) return undefined;
    this.frozenCache ??= {
      at: this.sql.exec<{ frozen_at: string }>("SELECT frozen_at FROM test_clock").toArray()[0]?.frozen_at,
    };
    return this.frozenCache.at;
  }

  freezeAt(at: string): void {
    this.sql.exec("DELETE FROM test_clock");
    this.sql.exec("INSERT INTO test_clock (frozen_at) VALUES (?)", at);
    this.frozenCache = undefined;
  }
}
