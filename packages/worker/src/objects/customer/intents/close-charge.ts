import { askAgainAt, outcomeUnknown } from "../../../domain/collections/unknown-outcome";
import type { ChargeResult } from "../../../processor/port";
import type { Context } from "../context";
import type { IntentRow, PurchaseRow } from "../storage/rows";

/**
 * What the processor's answer does to a charge's intent, and counts the answer: a decisive one
 * closes it; a timeout keeps it in flight, to be asked again under its key
 * (domain/collections/unknown-outcome.ts). True only when this run closed it: then, and only then,
 * its recorder goes on to record the outcome. Call inside a transaction.
 */
export function closeCharge(
  ctx: Context,
  intent: IntentRow,
  purchase: PurchaseRow,
  result: ChargeResult,
  now: Date,
): boolean {
  const { store, money } = ctx;
  const current = store.intent(intent.id);
  if (current?.status !== "pending") return false;
  const attempts = current.attempts + 1;
  const failure = result.status === "succeeded" ? null : result.code;
  // A timeout counts as a charge not answered, as the monitor's payment-success rule reads it (docs/operations.md).
  money.money(purchase, failure ? "charge.declined" : "charge.succeeded", intent.amount, failure ?? undefined);
  if (outcomeUnknown(result)) {
    const next_at = askAgainAt(attempts, now);
    store.updateIntent({ id: intent.id, status: "pending", attempts, next_at, failure });
    return false;
  }
  store.updateIntent({ id: intent.id, status: failure ? "failed" : "succeeded", attempts, next_at: null, failure });
  return true;
}
