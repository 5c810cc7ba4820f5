import { OWED } from "../../../domain/collections/installment";
import { installmentPaidPosting, payoffPosting } from "../../../domain/collections/ledger";
import { transition } from "../../../domain/collections/lifecycle";
import { payOff } from "../../../domain/collections/payoff";
import type { ChargeResult } from "../../../processor/port";
import type { Context } from "../context";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import type { IntentRow, PurchaseRow } from "../storage/rows";
import { closeCharge } from "./close-charge";

/**
 * Records what a customer payment (pay now, payoff) came to: declined, an event and nothing
 * else; paid, the installments it paid, their postings and the purchase's status. Call inside a
 * transaction; an intent already resolved (by another run of it) is left as it is.
 */
export function recordPayment(
  ctx: Context,
  intent: IntentRow,
  purchase: PurchaseRow,
  result: ChargeResult,
  now: Date,
): void {
  const { store, policy } = ctx;
  if (!closeCharge(ctx, intent, purchase, result, now)) return;
  const at = now.toISOString();
  const failure = result.status === "succeeded" ? null : result.code;
  if (failure) {
    store.event("purchase.payment_declined", purchase.id, intent.number, { payment: intent.kind, code: failure }, at);
    // Nothing else changed, but the purchase shows the attempt (its installment's `attempts`): a new version for D1.
    store.touch(purchase.id);
    return;
  }
  const installments = store.installments(purchase.id);
  if (intent.kind === "payoff") {
    // Quoted at the intent's time: while it was pending nothing else could change the schedule.
    const quote = payOff(installments, new Date(intent.created_at));
    if (!quote.ok || quote.amount !== intent.amount) throw new Error(`payoff ${intent.id} no longer matches its quote`);
    // The payoff's one charge is what a later cash refund of the installments it paid refunds.
    const chargeId = "chargeId" in result ? result.chargeId : null;
    const owed = new Set(installments.filter((i) => OWED.has(i.status)).map((i) => i.number));
    for (const i of quote.installments) {
      const paidNow = owed.has(i.number) ? { charge_id: chargeId } : {};
      store.saveInstallment({ ...i, purchase_id: purchase.id, ...paidNow }, at);
    }
    store.dropActions(purchase.id);
    store.post(payoffPosting(ledgerPurchase(purchase), quote), at);
    store.event("purchase.paid_off", purchase.id, null, {}, at);
  } else {
    const installment = installments.find((i) => i.number === intent.number);
    const paid = installment && transition(installment, { type: "paid_by_customer" }, policy, now);
    if (!installment || !paid?.ok) throw new Error(`payment ${intent.id} no longer applies to its installment`);
    const after = {
      ...paid.installment,
      purchase_id: purchase.id,
      charge_id: "chargeId" in result ? result.chargeId : null,
    };
    store.saveInstallment(after, at);
    store.dropActions(purchase.id, installment.number);
    store.post(installmentPaidPosting(ledgerPurchase(purchase), installment), at);
    store.event("installment.paid", purchase.id, installment.number, {}, at);
  }
  refreshStatus(store, purchase, at);
}
