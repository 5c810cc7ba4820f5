import type { EventType, Purchase } from "@tranche/shared";
import type { CollectionInstallment } from "../../domain/collections/installment";
import type { Posting } from "../../domain/collections/ledger";
import type { FollowUp } from "../../domain/collections/lifecycle";
import type { PayoutStatus } from "../../domain/collections/payouts";
import type { PurchaseRow } from "./rows";

/** An installment as stored: the collections shape, its purchase and the charge that paid it. */
export type Row = CollectionInstallment & { purchase_id: string; charge_id?: string | null };

/** A timed action the alarm runs: one per installment and type. */
export interface Action {
  purchase_id: string;
  number: number;
  type: FollowUp["type"];
  at: string;
}

/** A posting's lines as the ledger keeps them, numbered `seq`: the one row shape of both stores. */
export function ledgerRows(posting: Posting, seq: number, at: string) {
  return posting.lines.map((line) => ({
    posting: seq,
    event: posting.event,
    purchase_id: posting.purchaseId,
    currency: posting.currency,
    account: line.account,
    amount: line.amount,
    created_at: at,
  }));
}

export interface RefundRow {
  id: string;
  purchase_id: string;
  amount: number;
  /** Cash paid back so far. */
  cash_returned: number;
  status: PayoutStatus;
  reason: string | null;
  created_at: string;
}

/**
 * A processor call decided before it is made: its key and amount fixed and committed first, so
 * whoever runs it (the command, a retry of the command, the alarm) sends the same request.
 * `pay_now` and `payoff` charge the customer's card; a `payout` refunds part of a charge.
 */
export interface IntentRow {
  id: string;
  kind: "pay_now" | "payoff" | "payout";
  purchase_id: string;
  number: number | null;
  refund_id: string | null;
  /** The charge a payout refunds. */
  charge_id: string | null;
  processor_key: string;
  amount: number;
  status: PayoutStatus;
  attempts: number;
  /** While pending: when the alarm sends it (again). */
  next_at: string | null;
  /** The last failure's processor code. */
  failure: string | null;
  created_at: string;
}

/**
 * What `Collections` reads and writes, and nothing else: the customer object's SQLite behind
 * it in production (store.ts), a plain in-memory one in the domain property suite. Writes are
 * only made inside `transact`, which commits them all or none.
 */
export interface CollectionsStore {
  transact<T>(writes: () => T): T;

  purchase(id: string): PurchaseRow | undefined;
  setPurchaseStatus(id: string, status: Purchase["status"]): void;
  /** Marks a purchase changed, for the read model. */
  touch(purchaseId: string): void;
  installments(purchaseId: string): Row[];
  saveInstallment(installment: Row, at: string): void;
  paymentMethodToken(paymentMethodId: string): string | undefined;

  nextAction(until: string): Action | undefined;
  nextActionAt(): string | undefined;
  putAction(action: Action): void;
  dropAction(action: Action): void;
  dropActions(purchaseId: string, number?: number): void;

  post(posting: Posting, at: string): void;
  /** Records an event of a documented type (EVENT_TYPES in shared: /docs/events). */
  event(type: EventType, purchaseId: string, number: number | null, data: object, at: string): void;

  insertRefund(row: RefundRow): void;
  refund(id: string): RefundRow | undefined;
  updateRefund(id: string, status: RefundRow["status"], cashReturned: number): void;

  insertIntent(row: IntentRow): void;
  intent(id: string): IntentRow | undefined;
  intentsOf(refundId: string): IntentRow[];
  pendingIntents(purchaseId: string): IntentRow[];
  dueIntents(until: string): IntentRow[];
  nextIntentAt(): string | undefined;
  updateIntent(row: Pick<IntentRow, "id" | "status" | "attempts" | "next_at" | "failure">): void;
}

/** How long a command has to make its own call before the alarm takes the intent over. */
export const INTENT_GRACE_MS = 60_000;

/** A new intent, its key fixed; the alarm takes it over if its command has not sent it within the grace. */
export function pendingIntent(
  key: string,
  kind: IntentRow["kind"],
  purchaseId: string,
  amount: number,
  at: string,
): IntentRow {
  return {
    id: key,
    kind,
    purchase_id: purchaseId,
    number: null,
    refund_id: null,
    charge_id: null,
    processor_key: key,
    amount,
    status: "pending",
    attempts: 0,
    next_at: new Date(Date.parse(at) + INTENT_GRACE_MS).toISOString(),
    failure: null,
    created_at: at,
  };
}
