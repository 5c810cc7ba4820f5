import type { Refund, RefundCreateParams } from "@tranche/shared";
import { refundPosting } from "../../../domain/collections/ledger";
import { allocateRefund, refundable } from "../../../domain/collections/refunds";
import { refuse } from "../../../domain/collections/refusal";
import { pendingIntent } from "../intents/intents";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import { toRefund } from "../storage/api-objects";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import type { Answer, CommandContext, Decision } from "./decision";
import { fail, invalid, type Json, ok, toJson } from "./index";

/**
 * Refunds part or all of a captured purchase. A refund lowers what is owed at once and returns
 * collected cash as one payout per paid installment, keyed `<refund id>:<installment>` so that
 * every retry sends the same request; the payouts are intents, resolved before the answer.
 */
export function refund(
  ctx: CommandContext,
  purchase: PurchaseRow,
  params: RefundCreateParams,
  refundId: string,
): Decision<Json<Refund>> {
  if (!purchase.captured_at || purchase.status === "cancelled" || purchase.status === "declined") {
    const detail = `Purchase ${purchase.id} is ${purchase.status}; only a captured purchase can be refunded (cancel an uncaptured one).`;
    return fail("invalid_state", detail);
  }
  const { store, clock, intents, money } = ctx;
  const busy = intents.busy(purchase.id);
  if (busy) return busy;
  const installments = store.installments(purchase.id);
  const amount = params.amount ?? refundable(installments);
  const allocation = allocateRefund(installments, amount);
  if (!allocation.ok) {
    const detail = `Refund refused: ${allocation.detail}.`;
    return allocation.code === "charge_in_flight" ? refuse("invalid_state", detail) : invalid("amount", detail);
  }
  const at = clock.now().toISOString();
  const chargeOf = new Map(installments.map((i) => [i.number, i.charge_id ?? null]));
  const writes = () => {
    for (const i of allocation.installments) store.saveInstallment({ ...i, purchase_id: purchase.id }, at);
    store.post(refundPosting(ledgerPurchase(purchase), allocation), at);
    // Actions of installments no longer owed would be dropped when they run; drop them now.
    for (const r of allocation.reductions.filter((r) => r.removed)) store.dropActions(purchase.id, r.number);
    const status = allocation.cash > 0 ? "pending" : "succeeded";
    const reason = params.reason ?? null;
    store.insertRefund({
      id: refundId,
      purchase_id: purchase.id,
      amount,
      cash_returned: 0,
      status,
      reason,
      created_at: at,
    });
    store.event("refund.created", purchase.id, null, { refund: refundId }, at);
    for (const back of allocation.cashReturns) {
      const key = `${refundId}:${back.number}`;
      store.insertIntent({
        ...pendingIntent(key, "payout", purchase.id, back.amount, at),
        number: back.number,
        refund_id: refundId,
        charge_id: chargeOf.get(back.number) ?? null,
      });
    }
    refreshStatus(store, purchase, at);
    money.money(purchase, "refund", amount);
  };
  return { writes, resume: { kind: "refund", refund: refundId } };
}

/** Sends the refund's payouts and answers with the refund as they left it. */
export async function finishRefund(
  ctx: CommandContext,
  refundId: string,
  customer: CustomerRow,
): Promise<Answer<Json<Refund>>> {
  const row = await ctx.intents.resolveRefund(refundId);
  const purchase = row && ctx.store.purchase(row.purchase_id);
  if (!row || !purchase) throw new Error(`refund ${refundId} vanished`);
  return { result: ok(toJson(toRefund(row, purchase, customer))) };
}
