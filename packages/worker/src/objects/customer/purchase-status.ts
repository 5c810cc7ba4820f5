import type { EventType, Purchase } from "@tranche/shared";
import type { LedgerPurchase } from "../../domain/collections/ledger";
import { deriveStatus } from "../../domain/collections/purchase-status";
import type { PurchaseRow } from "./storage/rows";
import type { CustomerStore } from "./storage/store";

/**
 * The event a purchase's status change is announced by. Capture and cancel are commands with
 * events of their own (`purchase.captured`, `purchase.cancelled`), as are a declined checkout and an expiry; the installments never lead
 * back to awaiting capture.
 */
const STATUS_EVENT: Record<Purchase["status"], EventType | null> = {
  requires_capture: null,
  active: "purchase.active",
  completed: "purchase.completed",
  delinquent: "purchase.delinquent",
  written_off: "purchase.written_off",
  cancelled: "purchase.cancelled",
  refunded: "purchase.refunded",
  // Announced by the decline itself (checkout-decline.ts, holds/outcomes.ts), with the processor's code.
  declined: null,
  // Announced by the expiry itself (holds/outcomes.ts).
  expired: null,
};

/** The purchase's status follows its installments; a change is an event, and always a new version for D1. */
export function refreshStatus(store: CustomerStore, purchase: PurchaseRow, at: string): void {
  const status = deriveStatus(purchase, store.installments(purchase.id), store.holds.of(purchase.id));
  if (status !== purchase.status) {
    store.setPurchaseStatus(purchase.id, status);
    const event = STATUS_EVENT[status];
    if (event) store.event(event, purchase.id, null, {}, at);
  }
  store.touch(purchase.id);
}

export const ledgerPurchase = (p: PurchaseRow): LedgerPurchase => ({
  id: p.id,
  currency: p.currency,
  amount: p.amount,
  interest_total: p.interest_total,
  total: p.total,
});
