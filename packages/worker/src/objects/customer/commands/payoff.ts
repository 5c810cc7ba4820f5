import type { Purchase } from "@tranche/shared";
import { payOff } from "../../../domain/collections/payoff";
import { refuse } from "../../../domain/collections/refusal";
import type { PurchaseRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import type { Json } from "./index";
import { paymentIntent, scheduleChangeRefused } from "./payment";

/** The customer pays everything still owed, as quoted now; the charge is keyed by its amount. */
export function payoff(ctx: CommandContext, purchase: PurchaseRow, intentId: string): Decision<Json<Purchase>> {
  const refused = scheduleChangeRefused(ctx, purchase);
  if (refused) return refused;
  const now = ctx.clock.now();
  const quote = payOff(ctx.store.installments(purchase.id), now);
  if (!quote.ok) return refuse("invalid_state", `Nothing to pay off: ${quote.detail}.`);
  const key = `${purchase.id}:payoff:${quote.amount}`;
  const intent = { id: intentId, kind: "payoff", number: null, key, amount: quote.amount } as const;
  return paymentIntent(ctx, purchase, intent, now.toISOString());
}
