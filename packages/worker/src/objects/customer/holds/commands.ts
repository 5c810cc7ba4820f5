import type { Purchase } from "@tranche/shared";
import { transition } from "../../../domain/collections/lifecycle";
import { refuse } from "../../../domain/collections/refusal";
import { type Answer, type CommandContext, checkoutAnswer } from "../commands/decision";
import type { CommandErrorCode, Json } from "../commands/index";
import type { Context } from "../context";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import { advanceHold } from "./advance";
import { saveHold } from "./plan";

/** Capture and cancel wait for an authorisation still unanswered: what they do depends on its outcome. */
export function authorising(ctx: Context, purchase: PurchaseRow) {
  if (ctx.store.holds.of(purchase.id)?.status !== "authorising") return undefined;
  const detail = `The authorisation of purchase ${purchase.id} is in progress; try again once the processor has answered.`;
  return refuse<CommandErrorCode>("invalid_state", detail);
}

/**
 * At capture, the installment due then is paid from the hold while the hold keeps the money: its
 * due charge gives way to the hold's capture, sent at once (by the capture's own run of what is
 * due, or the alarm). A hold that lapsed by then is not used: that installment is charged afresh,
 * as a capture without a hold is. Call inside the capture's transaction, once its schedule started.
 */
export function takeHold(ctx: Context, purchase: PurchaseRow, at: string): void {
  const { store, policy } = ctx;
  const hold = store.holds.of(purchase.id);
  if (!hold || (hold.status !== "held" && hold.status !== "lapsed")) return;
  const installment = store.installments(purchase.id).find((i) => i.number === hold.number);
  const live = hold.status === "held" && hold.expires_at !== null && at < hold.expires_at;
  const started =
    live && installment ? transition(installment, { type: "charge_started" }, policy, new Date(at)) : undefined;
  if (!started?.ok) {
    saveHold(store, { ...hold, status: "lapsed" });
    store.holds.dropAction(purchase.id);
    return;
  }
  store.dropActions(purchase.id, hold.number);
  store.saveInstallment({ ...started.installment, purchase_id: purchase.id }, at);
  saveHold(store, { ...hold, status: "capturing", call_at: at, attempts: 0, failure: null }, at);
}

/** A cancel releases the hold, if one is kept: the void is sent before the answer (or by the alarm). */
export function releaseHold(ctx: Context, purchase: PurchaseRow, at: string): void {
  const { store } = ctx;
  const hold = store.holds.of(purchase.id);
  store.holds.dropAction(purchase.id);
  if (hold?.status === "held") saveHold(store, { ...hold, status: "voiding", call_at: at, attempts: 0, failure: null });
}

/**
 * Sends a hold's call its command committed (a new purchase's authorisation, a cancel's void) and
 * answers with the purchase; an authorisation refused is the checkout's 402, the purchase declined.
 */
export async function finishHold(
  ctx: CommandContext,
  purchaseId: string,
  customer: CustomerRow,
): Promise<Answer<Json<Purchase>>> {
  await advanceHold(ctx, purchaseId, ctx.clock.now());
  return checkoutAnswer(ctx, purchaseId, customer);
}
