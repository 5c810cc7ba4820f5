import { chargeAmount } from "../../../domain/collections/installment";
import { installmentPaidPosting } from "../../../domain/collections/ledger";
import { type ChargeFailure, type InstallmentEvent, transition } from "../../../domain/collections/lifecycle";
import type { ChargeResult } from "../../../processor/port";
import type { Context } from "../context";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import { declineCheckout, isCheckoutCharge } from "../schedule/checkout-decline";
import { planFollowUps } from "../schedule/follow-ups";
import type { IntentRow, PurchaseRow } from "../storage/rows";
import { closeCharge } from "./close-charge";

/**
 * Records what a due charge came to: paid, with its posting; or failed, with the follow-ups
 * dunning plans (a retry, a late fee); declined at checkout, the purchase is declined instead
 * (checkout-decline.ts). Call inside a transaction; an intent already resolved (by another run of
 * it) is left as it is. While it was pending nothing could change the installment (intents.ts
 * `busy`), so it is still the one the intent priced.
 */
export function recordDueCharge(
  ctx: Context,
  intent: IntentRow,
  purchase: PurchaseRow,
  result: ChargeResult,
  now: Date,
): void {
  const { store, policy, money } = ctx;
  if (!closeCharge(ctx, intent, purchase, result, now)) return;
  const at = now.toISOString();
  const sending = store.installments(purchase.id).find((i) => i.number === intent.number);
  if (!sending || chargeAmount(sending) !== intent.amount) {
    throw new Error(`due charge ${intent.id} no longer matches its installment`);
  }
  const event: InstallmentEvent =
    result.status === "succeeded" ? { type: "charge_succeeded" } : { type: "charge_failed", reason: failure(result) };
  const next = transition(sending, event, policy, now);
  if (!next.ok) throw new Error(`due charge ${intent.id}: ${next.detail}`);
  const chargeId = result.status === "succeeded" ? result.chargeId : undefined;
  const after = { ...next.installment, purchase_id: purchase.id, charge_id: chargeId };
  const atCheckout = isCheckoutCharge(purchase, sending);
  if (atCheckout && result.status === "declined") {
    declineCheckout(ctx, purchase, after, result.code, at);
    return;
  }
  // Taken on once the card did not refuse it at checkout: a declined checkout never counts as a capture.
  if (atCheckout) money.money(purchase, "capture", purchase.amount);
  if (result.status === "succeeded") {
    store.saveInstallment(after, at);
    store.post(installmentPaidPosting(ledgerPurchase(purchase), sending), at);
    store.event("installment.paid", purchase.id, after.number, {}, at);
  } else {
    store.saveInstallment(after, at);
    const failed = after.status === "failed_final" ? "installment.failed_final" : "installment.failed";
    store.event(failed, purchase.id, after.number, {}, at);
  }
  planFollowUps(store, purchase.id, next.followUps, at);
  refreshStatus(store, purchase, at);
}

function failure(result: Exclude<ChargeResult, { status: "succeeded" }>): ChargeFailure {
  if (result.status === "failed" && result.retryable) return "processor_error";
  return result.retryable ? "soft_decline" : "hard_decline";
}
