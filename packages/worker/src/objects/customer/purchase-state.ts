import type { Purchase } from "@tranche/shared";
import type { LedgerPurchase } from "../../domain/collections/ledger";
import { deriveStatus } from "../../domain/collections/purchase-status";
import type { CollectionsStore } from "./collections-store";
import type { PurchaseRow } from "./rows";

/** The purchase's status follows its installments; a change is an event, and always a new version for D1. */
export function settleStatus(store: CollectionsStore, purchase: PurchaseRow, at: string): void {
  const status: Purchase["status"] = deriveStatus(purchase, store.installments(purchase.id));
  if (status !== purchase.status) {
    store.setPurchaseStatus(purchase.id, status);
    store.event(`purchase.${status}`, purchase.id, null, {}, at);
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
