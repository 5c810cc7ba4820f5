import { chargeAmount } from "../../../domain/collections/installment";
import { transition } from "../../../domain/collections/lifecycle";
import type { Context } from "../context";
import { type Intents, pendingIntent } from "../intents/intents";
import type { Action, IntentRow, PurchaseRow, StoredInstallment } from "../storage/rows";

/**
 * A due charge (the first attempt or a dunning retry) becomes an intent: the installment goes to
 * the processor and the intent, its key and amount fixed, takes the place of the action, both
 * committed before the call. From then on it is the purchase's open money movement: no command or
 * other alarm run starts a second charge or changes the installment until its outcome is
 * recorded (intents/due-charge-outcome.ts), and whoever finds it pending sends the same request.
 */
export async function runDueCharge(
  ctx: Context,
  intents: Intents,
  action: Action,
  purchase: PurchaseRow,
  installment: StoredInstallment,
  now: Date,
): Promise<string> {
  const intent = ctx.store.transact(() => startDueCharge(ctx, action, purchase, installment, now));
  if (!intent) return "dropped";
  await intents.send(intent, now);
  return outcome(ctx, intent);
}

/**
 * The writes of a due charge's start: the action gives way to the intent, and the installment goes
 * to the processor; undefined (the action dropped) if the installment cannot be charged. Call
 * inside a transaction, which must commit before the intent is sent.
 */
export function startDueCharge(
  ctx: Context,
  action: Action,
  purchase: PurchaseRow,
  installment: StoredInstallment,
  now: Date,
): IntentRow | undefined {
  const { store, policy } = ctx;
  const at = now.toISOString();
  const started = transition(installment, { type: "charge_started" }, policy, now);
  store.dropAction(action);
  if (!started.ok) return undefined;
  const sending = { ...started.installment, purchase_id: purchase.id };
  const intent = dueChargeIntent(purchase, sending, at);
  store.saveInstallment(sending, at);
  store.insertIntent(intent);
  return intent;
}

/**
 * The key is the installment's and its amount's, as pay-now's (commands/pay-installment.ts), so
 * the two can never both take the money; it changes only with the amount (a late fee), which
 * nothing changes while a charge is in flight.
 */
function dueChargeIntent(purchase: PurchaseRow, installment: StoredInstallment, at: string): IntentRow {
  const amount = chargeAmount(installment);
  const key = `${purchase.id}:${installment.number}:${amount}`;
  return {
    ...pendingIntent(key, "due_charge", purchase.id, amount, at),
    // One intent per attempt: each attempt that ends adds a failure, so the id is new for the next.
    id: `due:${purchase.id}:${installment.number}:${installment.attempts_failed}`,
    number: installment.number,
  };
}

/** What the test clock reports the attempt came to. */
function outcome(ctx: Context, intent: IntentRow): string {
  const after = ctx.store.intent(intent.id);
  if (after?.status === "succeeded") return "paid";
  if (after?.status === "pending") return `in flight (${after.failure ?? "sending"})`;
  if (ctx.store.purchase(intent.purchase_id)?.status === "declined") return `declined (${after?.failure})`;
  const installment = ctx.store.installments(intent.purchase_id).find((i) => i.number === intent.number);
  return `${installment?.status} (${after?.failure})`;
}
