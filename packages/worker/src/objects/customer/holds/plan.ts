import type { CollectionsPolicy } from "../../../domain/collections/policy";
import { AUTHORIZATION_STATUS, heldAtCapture, holdPeriodEnd, holdWakeAt } from "../../../domain/purchases/holds";
import { INTENT_GRACE_MS } from "../intents/intents";
import type { HoldRow, InstallmentRow, PurchaseRow } from "../storage/rows";
import type { CustomerStore } from "../storage/store";

/**
 * The hold a new manual capture authorises: what falls due at capture (none for pay later or
 * financing, where nothing does), kept for the policy's hold period.
 */
export function newHold(
  purchase: PurchaseRow,
  installments: readonly InstallmentRow[],
  policy: CollectionsPolicy,
): HoldRow | undefined {
  if (purchase.capture !== "manual") return undefined;
  const held = heldAtCapture(installments, purchase.created_at);
  if (!held) return undefined;
  return {
    purchase_id: purchase.id,
    number: held.number,
    amount: held.amount,
    status: "authorising",
    charge_id: null,
    expires_at: null,
    ends_at: holdPeriodEnd(purchase.created_at, policy.hold_days),
    call_at: purchase.created_at,
    attempts: 0,
    failure: null,
    created_at: purchase.created_at,
  };
}

/**
 * Writes a hold (a new version of its purchase when what it shows changes) and the one action the alarm keeps for it: a call just committed is sent by its
 * command, so the alarm takes it over only after the intents' grace (or at `callAt`, a retry's
 * time); a hold that waits is looked at when it lapses or its period ends; a settled one has none.
 * Call inside a transaction.
 */
export function saveHold(store: CustomerStore, hold: HoldRow, callAt?: string): void {
  const before = store.holds.of(hold.purchase_id);
  if (before) store.holds.update(hold);
  else store.holds.insert(hold);
  // The purchase shows its hold: a change there is a new version of it for D1.
  const shown = (h: HoldRow) => `${AUTHORIZATION_STATUS[h.status]} ${h.expires_at}`;
  if (!before || shown(before) !== shown(hold)) store.touch(hold.purchase_id);
  const pending = ["authorising", "capturing", "voiding"].includes(hold.status);
  const grace = new Date(Date.parse(hold.call_at) + INTENT_GRACE_MS).toISOString();
  const at = pending ? (callAt ?? grace) : holdWakeAt(hold);
  store.holds.dropAction(hold.purchase_id);
  if (at) store.putAction({ purchase_id: hold.purchase_id, number: hold.number, type: "hold", at });
}
