import type { Purchase } from "@tranche/shared";
import { chargeAmount } from "../../../domain/collections/installment";
import { transition } from "../../../domain/collections/lifecycle";
import { refuse } from "../../../domain/collections/refusal";
import type { PurchaseRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import type { Json } from "./index";
import { paymentIntent, scheduleChangeRefused } from "./payment";

/**
 * The customer pays one installment now. The charge uses the key its due charge uses, so the two
 * can never both take the money.
 */
export function payInstallment(
  ctx: CommandContext,
  purchase: PurchaseRow,
  number: number,
  intentId: string,
): Decision<Json<Purchase>> {
  const refused = scheduleChangeRefused(ctx, purchase);
  if (refused) return refused;
  const installment = ctx.store.installments(purchase.id).find((i) => i.number === number);
  if (!installment) return refuse("not_found", `Purchase ${purchase.id} has no installment ${number}.`);
  const now = ctx.clock.now();
  const paid = transition(installment, { type: "paid_by_customer" }, ctx.policy, now);
  if (!paid.ok) return refuse("invalid_state", `Installment ${number} cannot be paid: ${paid.detail}.`);
  const amount = chargeAmount(installment);
  const key = `${purchase.id}:${number}:${amount}`;
  const intent = { id: intentId, kind: "pay_now", number, key, amount } as const;
  return paymentIntent(ctx, purchase, intent, now.toISOString());
}
