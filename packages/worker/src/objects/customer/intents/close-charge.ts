import type { ChargeResult } from "../../../processor/port";
import type { Context } from "../context";
import type { IntentRow, PurchaseRow } from "../storage/rows";

/**
 * Closes a charge's intent with the processor's answer, and counts the answer; false when another
 * run of it closed it first, and then nothing else may be recorded. Call inside a transaction.
 */
export function closeCharge(ctx: Context, intent: IntentRow, purchase: PurchaseRow, result: ChargeResult): boolean {
  const { store, money } = ctx;
  const current = store.intent(intent.id);
  if (current?.status !== "pending") return false;
  const failure = result.status === "succeeded" ? null : result.code;
  money.money(purchase, failure ? "charge.declined" : "charge.succeeded", intent.amount, failure ?? undefined);
  store.updateIntent({
    id: intent.id,
    status: failure ? "failed" : "succeeded",
    attempts: current.attempts + 1,
    next_at: null,
    failure,
  });
  return true;
}
