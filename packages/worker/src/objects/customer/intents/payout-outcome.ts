import { refundPayoutPosting } from "../../../domain/collections/ledger";
import { afterPayoutAttempt, refundStatus } from "../../../domain/collections/payouts";
import type { RefundResult } from "../../../processor/port";
import type { Context } from "../context";
import { ledgerPurchase } from "../purchase-status";
import type { IntentRow, PurchaseRow } from "../storage/rows";

/**
 * Records what a refund's payout came to: sent, to retry (the alarm sends it again at `next_at`),
 * or given up; the refund's status and cash returned follow its payouts. Call inside a transaction;
 * an intent already resolved (by another run of it) is left as it is.
 */
export function recordPayout(
  ctx: Context,
  intent: IntentRow,
  purchase: PurchaseRow,
  result: RefundResult,
  now: Date,
): void {
  const { store, policy, money } = ctx;
  const current = store.intent(intent.id);
  if (current?.status !== "pending") return;
  const attempts = current.attempts + 1;
  const after = afterPayoutAttempt(result, attempts, new Date(current.created_at), policy, now);
  const at = now.toISOString();
  money.payout(purchase, intent.refund_id, intent.amount, after.status);
  store.updateIntent({
    id: intent.id,
    status: after.status,
    attempts,
    next_at: after.status === "pending" ? after.retryAt : null,
    failure: after.status === "succeeded" ? null : after.code,
  });
  if (after.status === "succeeded") store.post(refundPayoutPosting(ledgerPurchase(purchase), intent.amount), at);
  const refund = intent.refund_id ? store.refund(intent.refund_id) : undefined;
  if (!refund) return;
  const payouts = store.intentsOf(refund.id);
  const status = refundStatus(payouts);
  const paidBack = payouts.filter((p) => p.status === "succeeded").reduce((s, p) => s + p.amount, 0);
  store.updateRefund(refund.id, status, paidBack);
  if (status !== "pending" && refund.status === "pending") {
    store.event(`refund.${status}`, purchase.id, null, { refund: refund.id, cash_returned: paidBack }, at);
  }
  store.touch(purchase.id);
}
