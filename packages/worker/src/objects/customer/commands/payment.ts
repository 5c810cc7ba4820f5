import type { Purchase } from "@tranche/shared";
import type { Refusal } from "../../../domain/collections/refusal";
import { pendingIntent } from "../intents/intents";
import type { CustomerRow, IntentRow, PurchaseRow } from "../storage/rows";
import { type Answer, type CommandContext, type Decision, purchaseAnswer } from "./decision";
import { type CommandErrorCode, fail, type Json } from "./index";

/**
 * What every operation on a captured purchase's schedule (pay, payoff, extend, write-off) asks
 * first: that it is captured and not closed, and that no customer payment is in progress on it.
 */
export function scheduleChangeRefused(
  ctx: CommandContext,
  purchase: PurchaseRow,
): Refusal<CommandErrorCode> | undefined {
  if (!purchase.captured_at || ["cancelled", "refunded", "declined"].includes(purchase.status)) {
    return fail("invalid_state", `Purchase ${purchase.id} is ${purchase.status}: nothing to pay.`);
  }
  return ctx.intents.busy(purchase.id);
}

/** A customer payment decided: its intent, keyed and priced, committed before the processor is called. */
export function paymentIntent(
  ctx: CommandContext,
  purchase: PurchaseRow,
  intent: { id: string; kind: IntentRow["kind"]; number: number | null; key: string; amount: number },
  /** The time it was quoted at: a payoff is quoted again at it when it is paid. */
  at: string,
): Decision<Json<Purchase>> {
  const row = { ...pendingIntent(intent.key, intent.kind, purchase.id, intent.amount, at), id: intent.id };
  return {
    writes: () => ctx.store.insertIntent({ ...row, number: intent.number }),
    resume: { kind: "payment", intent: intent.id, purchase: purchase.id },
  };
}

/**
 * Sends the payment and answers with the purchase as it left it, or the decline; a payment the
 * processor did not answer in time stays in flight (intents.ts), and the answer says so.
 */
export async function finishPayment(
  ctx: CommandContext,
  intentId: string,
  purchaseId: string,
  customer: CustomerRow,
): Promise<Answer<Json<Purchase>>> {
  const intent = await ctx.intents.resolve(intentId);
  const answer = purchaseAnswer(ctx, customer, purchaseId);
  if (intent?.status === "pending" && answer.result.ok)
    return { ...answer, result: { ...answer.result, inFlight: true } };
  if (intent?.status !== "failed") return answer;
  return { ...answer, result: fail("payment_declined", `The payment was declined (${intent.failure ?? "unknown"}).`) };
}
