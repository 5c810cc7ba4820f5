import { declinePosting } from "../../../domain/collections/ledger";
import type { Context } from "../context";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import type { PurchaseRow, StoredInstallment } from "../storage/rows";

/**
 * Whether a declined due charge refuses the checkout itself: the first attempt at what fell due
 * at capture, whether the purchase was captured at creation or by hand (a declined capture is
 * refused alike). A shop must not ship against a refused card, so the purchase is not taken on.
 * A processor error is no decline (dunning retries it under the same key, as later charges), nor
 * is a timeout (the money may have moved: the charge stays in flight under its key).
 */
export function isCheckoutCharge(purchase: PurchaseRow, installment: StoredInstallment): boolean {
  return installment.attempts_failed === 0 && dueAtCapture(purchase, installment);
}

/** Whether the installment fell due when the purchase was captured: charged before the checkout's answer. */
export function dueAtCapture(purchase: Pick<PurchaseRow, "captured_at">, installment: { due_at: string }): boolean {
  return purchase.captured_at !== null && installment.due_at <= purchase.captured_at;
}

/**
 * The purchase is declined: every installment is cancelled (nothing is owed, so the credit it held
 * is free again and no report counts it), its timed actions are dropped, the capture is undone in
 * the ledger, and `purchase.declined` carries the processor's code. Call inside a transaction.
 */
export function declineCheckout(
  ctx: Context,
  purchase: PurchaseRow,
  charged: StoredInstallment,
  code: string,
  at: string,
): void {
  const { store } = ctx;
  store.dropActions(purchase.id);
  for (const i of store.installments(purchase.id)) {
    const installment = i.number === charged.number ? charged : i;
    store.saveInstallment({ ...installment, status: "cancelled" }, at);
  }
  store.post(declinePosting(ledgerPurchase(purchase)), at);
  // Every installment cancelled after capture derives `declined` (domain/collections/purchase-status.ts).
  refreshStatus(store, purchase, at);
  store.event("purchase.declined", purchase.id, null, { code }, at);
}
