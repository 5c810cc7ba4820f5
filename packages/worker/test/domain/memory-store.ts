import type { Purchase } from "@tranche/shared";
import type { Posting, PostingEvent, PostingLine } from "../../src/domain/collections";
import {
  type Action,
  type CollectionsStore,
  type IntentRow,
  ledgerRows,
  type RefundRow,
  type Row,
} from "../../src/objects/customer/collections-store";
import type { InstallmentRow, PaymentMethodRow, PurchaseRow } from "../../src/objects/customer/rows";

/** Rows of the append-only tables, as store.ts writes them (their autoincrement id aside). */
type Appended = { purchase_id: string; created_at: string };
type LedgerLine = PostingLine & Appended & { posting: number; event: PostingEvent; currency: string };
type EventRow = Appended & { type: string; number: number | null; data: string };

/** The tables `Collections` reaches, keyed as their primary keys are in store.ts's schema. */
interface Tables {
  paymentMethods: Map<string, string>;
  purchases: Map<string, PurchaseRow>;
  installments: Map<string, Row>;
  actions: Map<string, Action>;
  ledger: LedgerLine[];
  events: EventRow[];
  refunds: Map<string, RefundRow>;
  intents: Map<string, IntentRow>;
}

const installmentKey = (purchaseId: string, number: number) => `${purchaseId}:${number}`;
const actionKey = (a: Pick<Action, "purchase_id" | "number" | "type">) => `${a.purchase_id}:${a.number}:${a.type}`;
const copy = <T>(value: T): T => structuredClone(value);

/** `ORDER BY` these columns, compared as SQLite compares text and integers. */
const orderBy =
  <T>(columns: (row: T) => (string | number)[]) =>
  (a: T, b: T): number => {
    const [x, y] = [columns(a), columns(b)];
    const k = x.findIndex((value, i) => value !== y[i]);
    return k < 0 ? 0 : (x[k] ?? 0) < (y[k] ?? 0) ? -1 : 1;
  };

/** The collections columns' defaults in the schema (storage-schema.ts), which a new purchase's rows leave out. */
const DEFAULTS = {
  attempts_failed: 0,
  late_fee: 0,
  extension_fees: 0,
  extensions: 0,
  cash_refunded: 0,
  charge_id: null,
};

/**
 * The customer object's SQLite (store.ts) as plain maps, for the domain property suite: the
 * same keys, upserts, orderings and column defaults, rows copied on the way in and out as SQL
 * would, and `transact` all-or-nothing. A write outside `transact` throws, so the suite also
 * proves `Collections` keeps to the interface's rule that every write is in a transaction.
 */
export class MemoryStore implements CollectionsStore {
  private tables: Tables = {
    paymentMethods: new Map(),
    purchases: new Map(),
    installments: new Map(),
    actions: new Map(),
    ledger: [],
    events: [],
    refunds: new Map(),
    intents: new Map(),
  };
  private depth = 0;

  transact<T>(writes: () => T): T {
    const before = copy(this.tables);
    this.depth++;
    try {
      return writes();
    } catch (error) {
      this.tables = before;
      throw error;
    } finally {
      this.depth--;
    }
  }

  // What the customer object itself writes and reads: cards, purchases, and the books for the suite's checks.

  insertPaymentMethod(row: PaymentMethodRow): void {
    this.insert(this.writing().paymentMethods, row.id, row.token);
  }

  insertPurchase(row: PurchaseRow, installments: InstallmentRow[]): void {
    const t = this.writing();
    this.insert(t.purchases, row.id, row);
    for (const i of installments) {
      this.insert(t.installments, installmentKey(i.purchase_id, i.number), { ...DEFAULTS, ...i });
    }
  }

  /** Capture and cancel: the purchase's status, capture time and version, its installments' due dates and statuses. */
  updatePurchase(row: PurchaseRow, installments: InstallmentRow[]): void {
    const t = this.writing();
    const current = t.purchases.get(row.id);
    if (current) Object.assign(current, { status: row.status, captured_at: row.captured_at, version: row.version });
    for (const i of installments) {
      const stored = t.installments.get(installmentKey(i.purchase_id, i.number));
      if (stored) Object.assign(stored, { due_at: i.due_at, status: i.status });
    }
  }

  purchases(): PurchaseRow[] {
    return copy([...this.tables.purchases.values()]);
  }

  ledger(): LedgerLine[] {
    return copy(this.tables.ledger);
  }

  /** The ledger's lines, gathered back into their postings. */
  postings(): Posting[] {
    const postings = new Map<number, Posting>();
    for (const line of this.tables.ledger) {
      const posting = postings.get(line.posting) ?? {
        event: line.event,
        purchaseId: line.purchase_id,
        currency: line.currency,
        lines: [],
      };
      posting.lines.push({ account: line.account, amount: line.amount });
      postings.set(line.posting, posting);
    }
    return [...postings.values()];
  }

  events(): EventRow[] {
    return copy(this.tables.events);
  }

  refunds(): RefundRow[] {
    return copy([...this.tables.refunds.values()]);
  }

  intents(): IntentRow[] {
    return copy([...this.tables.intents.values()]);
  }

  // CollectionsStore.

  purchase(id: string): PurchaseRow | undefined {
    return copy(this.tables.purchases.get(id));
  }

  setPurchaseStatus(id: string, status: Purchase["status"]): void {
    const row = this.writing().purchases.get(id);
    if (row) row.status = status;
  }

  touch(purchaseId: string): void {
    const row = this.writing().purchases.get(purchaseId);
    if (row) row.version++;
  }

  installments(purchaseId: string): Row[] {
    const rows = [...this.tables.installments.values()].filter((i) => i.purchase_id === purchaseId);
    return copy(rows.sort(orderBy((i) => [i.number])));
  }

  /** The columns store.ts updates; `COALESCE(?, charge_id)` keeps a charge id the new row lacks. */
  saveInstallment(i: Row, _at: string): void {
    const stored = this.writing().installments.get(installmentKey(i.purchase_id, i.number));
    if (!stored) return;
    Object.assign(stored, {
      status: i.status,
      attempts_failed: i.attempts_failed,
      late_fee: i.late_fee,
      extension_fees: i.extension_fees,
      extensions: i.extensions,
      cash_refunded: i.cash_refunded,
      due_at: i.due_at,
      amount: i.amount,
      principal: i.principal,
      interest: i.interest,
      charge_id: i.charge_id ?? stored.charge_id,
    });
  }

  paymentMethodToken(paymentMethodId: string): string | undefined {
    return this.tables.paymentMethods.get(paymentMethodId);
  }

  /**
   * SQL leaves actions equal in at, purchase and number in the order their rows were inserted
   * (an upsert keeps its row); a stable sort of the map, which keeps insertion order, does too.
   */
  nextAction(until: string): Action | undefined {
    const due = [...this.tables.actions.values()].filter((a) => a.at <= until);
    return copy(due.sort(orderBy((a) => [a.at, a.purchase_id, a.number]))[0]);
  }

  nextActionAt(): string | undefined {
    return [...this.tables.actions.values()].map((a) => a.at).sort()[0];
  }

  putAction(action: Action): void {
    this.writing().actions.set(actionKey(action), copy(action));
  }

  dropAction(action: Action): void {
    const actions = this.writing().actions;
    if (actions.get(actionKey(action))?.at === action.at) actions.delete(actionKey(action));
  }

  dropActions(purchaseId: string, number?: number): void {
    const actions = this.writing().actions;
    for (const [key, a] of actions) {
      if (a.purchase_id === purchaseId && (number === undefined || a.number === number)) actions.delete(key);
    }
  }

  post(posting: Posting, at: string): void {
    const ledger = this.writing().ledger;
    const seq = (ledger.at(-1)?.posting ?? 0) + 1;
    ledger.push(...ledgerRows(posting, seq, at));
  }

  event(type: string, purchaseId: string, number: number | null, data: object, at: string): void {
    this.writing().events.push({ type, purchase_id: purchaseId, number, data: JSON.stringify(data), created_at: at });
  }

  insertRefund(row: RefundRow): void {
    this.insert(this.writing().refunds, row.id, row);
  }

  refund(id: string): RefundRow | undefined {
    return copy(this.tables.refunds.get(id));
  }

  updateRefund(id: string, status: RefundRow["status"], cashReturned: number): void {
    const row = this.writing().refunds.get(id);
    if (row) Object.assign(row, { status, cash_returned: cashReturned });
  }

  insertIntent(row: IntentRow): void {
    this.insert(this.writing().intents, row.id, row);
  }

  intent(id: string): IntentRow | undefined {
    return copy(this.tables.intents.get(id));
  }

  intentsOf(refundId: string): IntentRow[] {
    const rows = [...this.tables.intents.values()].filter((i) => i.refund_id === refundId);
    return copy(rows.sort(orderBy((i) => [i.id])));
  }

  pendingIntents(purchaseId: string): IntentRow[] {
    const rows = [...this.tables.intents.values()].filter((i) => i.purchase_id === purchaseId);
    return copy(rows.filter((i) => i.status === "pending"));
  }

  /** `next_at <= ?` is never true of a NULL, so a pending intent without a time is never due. */
  dueIntents(until: string): IntentRow[] {
    const due = this.pendingAt().filter((i) => i.next_at <= until);
    return copy(due.sort(orderBy((i) => [i.next_at, i.id])));
  }

  nextIntentAt(): string | undefined {
    const times = this.pendingAt().map((i) => i.next_at);
    return times.sort()[0];
  }

  updateIntent(row: Pick<IntentRow, "id" | "status" | "attempts" | "next_at" | "failure">): void {
    const stored = this.writing().intents.get(row.id);
    if (stored)
      Object.assign(stored, { status: row.status, attempts: row.attempts, next_at: row.next_at, failure: row.failure });
  }

  private pendingAt(): (IntentRow & { next_at: string })[] {
    return [...this.tables.intents.values()].filter(
      (i): i is IntentRow & { next_at: string } => i.status === "pending" && i.next_at !== null,
    );
  }

  /** A primary key holds one row: inserting it again fails, as SQL's constraint would. */
  private insert<T>(table: Map<string, T>, key: string, row: T): void {
    if (table.has(key)) throw new Error(`UNIQUE constraint failed: ${key}`);
    table.set(key, copy(row));
  }

  private writing(): Tables {
    if (this.depth === 0) throw new Error("a write outside transact");
    return this.tables;
  }
}
