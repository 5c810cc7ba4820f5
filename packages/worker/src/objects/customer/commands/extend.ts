import type { Purchase } from "@tranche/shared";
import { extendDueDate } from "../../../domain/collections/extension";
import { feePosting } from "../../../domain/collections/ledger";
import { refuse } from "../../../domain/collections/refusal";
import { ledgerPurchase } from "../purchase-status";
import { planFollowUps } from "../schedule/follow-ups";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import { type CommandContext, type Decision, purchaseAnswer } from "./decision";
import { invalid, type Json } from "./index";
import { scheduleChangeRefused } from "./payment";

/** The customer moves a scheduled installment's due date later, within the policy's bounds, for the policy's fee. */
export function extend(
  ctx: CommandContext,
  customer: CustomerRow,
  purchase: PurchaseRow,
  request: { number: number; days: number },
): Decision<Json<Purchase>> {
  const refused = scheduleChangeRefused(ctx, purchase);
  if (refused) return refused;
  const { store, policy } = ctx;
  const { number, days } = request;
  const installment = store.installments(purchase.id).find((i) => i.number === number);
  if (!installment) return refuse("not_found", `Purchase ${purchase.id} has no installment ${number}.`);
  const now = ctx.clock.now();
  const extension = extendDueDate(installment, days, purchase.currency, policy, now);
  if (!extension.ok) {
    const detail = `Installment ${number} cannot be extended: ${extension.detail}.`;
    return extension.code === "invalid_days" ? invalid("days", detail) : refuse("invalid_state", detail);
  }
  const at = now.toISOString();
  const writes = () => {
    store.saveInstallment({ ...extension.installment, purchase_id: purchase.id }, at);
    store.dropActions(purchase.id, number);
    planFollowUps(store, purchase.id, extension.followUps, at);
    if (extension.fee > 0) store.post(feePosting(ledgerPurchase(purchase), "extension_fee", extension.fee), at);
    store.event("installment.extended", purchase.id, number, { days, fee: extension.fee }, at);
    store.touch(purchase.id);
  };
  return { writes, answer: () => purchaseAnswer(ctx, customer, purchase.id) };
}
