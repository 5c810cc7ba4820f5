import { chargeAmount, IN_FLIGHT } from "../../../domain/collections/installment";
import { installmentPaidPosting } from "../../../domain/collections/ledger";
import { type ChargeFailure, type InstallmentEvent, transition } from "../../../domain/collections/lifecycle";
import { childTraceparent, workTrace } from "../../../lib/trace";
import type { ChargeResult } from "../../../processor/port";
import type { Context } from "../context";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import type { Action, PurchaseRow, StoredInstallment } from "../storage/rows";
import { declineCheckout, declinesCheckout } from "./checkout-decline";
import { planFollowUps } from "./follow-ups";

/**
 * A due charge (the first attempt or a dunning retry): the installment goes to the processor,
 * committed before the call, and its outcome is recorded with the follow-ups it plans (a retry,
 * a late fee) and the purchase's status; declined at checkout, the purchase is declined instead
 * (checkout-decline.ts). A charge interrupted at the processor is sent again under the same key,
 * which never charges twice.
 */
export async function runDueCharge(
  ctx: Context,
  action: Action,
  purchase: PurchaseRow,
  installment: StoredInstallment,
  now: Date,
): Promise<string> {
  const { store, policy, money } = ctx;
  const at = now.toISOString();
  let sending = installment;
  if (!IN_FLIGHT.has(installment.status)) {
    const started = transition(installment, { type: "charge_started" }, policy, now);
    if (!started.ok) {
      store.transact(() => store.dropAction(action));
      return "dropped";
    }
    sending = { ...started.installment, purchase_id: purchase.id };
    store.transact(() => store.saveInstallment(sending, at));
  }
  const amount = chargeAmount(sending);
  const result = await sendCharge(ctx, purchase, sending.number, amount);

  const event: InstallmentEvent =
    result.status === "succeeded" ? { type: "charge_succeeded" } : { type: "charge_failed", reason: failure(result) };
  const next = transition(sending, event, policy, now);
  // Another run of this action (an alarm re-delivered while the processor answered) recorded its outcome first.
  if (!next.ok) return "already settled";
  const chargeId = result.status === "succeeded" ? result.chargeId : undefined;
  const after: StoredInstallment = { ...next.installment, purchase_id: purchase.id, charge_id: chargeId };
  if (result.status === "declined" && declinesCheckout(purchase, sending)) {
    store.transact(() => {
      money.money(purchase, "charge.declined", amount, result.code);
      declineCheckout(ctx, purchase, after, result.code, at);
    });
    return `declined (${result.code})`;
  }
  store.transact(() => {
    store.dropAction(action);
    store.saveInstallment(after, at);
    if (result.status === "succeeded") {
      money.money(purchase, "charge.succeeded", amount);
      store.post(installmentPaidPosting(ledgerPurchase(purchase), sending), at);
      store.event("installment.paid", purchase.id, after.number, {}, at);
    } else {
      money.money(purchase, "charge.declined", amount, "code" in result ? result.code : undefined);
      const failed = after.status === "failed_final" ? "installment.failed_final" : "installment.failed";
      store.event(failed, purchase.id, after.number, {}, at);
    }
    planFollowUps(store, purchase.id, next.followUps, at);
    refreshStatus(store, purchase, at);
  });
  return result.status === "succeeded" ? "paid" : `${after.status} (${"code" in result ? result.code : ""})`;
}

/**
 * The due charge's key is stable for the installment across retries and re-deliveries; it
 * changes only with the amount (a late fee), so a processor never sees one key for two charges.
 */
async function sendCharge(ctx: Context, purchase: PurchaseRow, number: number, amount: number): Promise<ChargeResult> {
  const { store, processor, money, faults } = ctx;
  // Attempted even without a card to charge: the decline it ends in is counted, as for a customer payment.
  money.money(purchase, "charge.attempted", amount);
  const token = store.paymentMethodToken(purchase.payment_method);
  if (!token) return { status: "declined", retryable: false, code: "payment_method_missing", message: "" };
  faults.at("charge:before");
  const result = await processor.charge({
    idempotencyKey: `${purchase.id}:${number}:${amount}`,
    paymentMethod: { id: purchase.payment_method, token },
    amount,
    currency: purchase.currency,
    traceparent: childTraceparent(workTrace(purchase.trace_id)),
  });
  faults.at("charge:after");
  return result;
}

function failure(result: Exclude<ChargeResult, { status: "succeeded" }>): ChargeFailure {
  if (result.status === "failed" && result.retryable) return "processor_error";
  return result.retryable ? "soft_decline" : "hard_decline";
}
