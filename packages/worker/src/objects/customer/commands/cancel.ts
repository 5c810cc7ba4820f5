import type { Purchase } from "@tranche/shared";
import { authorising, releaseHold } from "../holds/commands";
import { toPurchase } from "../storage/api-objects";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import { fail, type Json, ok, toJson } from "./index";

/** Releases an uncaptured purchase and its hold: nothing was owed, so nothing is posted. */
export function cancel(ctx: CommandContext, customer: CustomerRow, purchase: PurchaseRow): Decision<Json<Purchase>> {
  if (purchase.status !== "requires_capture") {
    const detail = `Purchase ${purchase.id} is ${purchase.status}; only an uncaptured purchase can be cancelled (refund a captured one).`;
    return fail("invalid_state", detail);
  }
  const busy = authorising(ctx, purchase);
  if (busy) return busy;
  const { store, clock } = ctx;
  const at = clock.now().toISOString();
  const cancelled: PurchaseRow = { ...purchase, status: "cancelled", version: purchase.version + 1 };
  const installments = store.installments(purchase.id).map((i) => ({ ...i, status: "cancelled" as const }));
  const hold = store.holds.of(purchase.id);
  const writes = () => {
    store.updatePurchase(cancelled, installments);
    store.event("purchase.cancelled", purchase.id, null, {}, at);
    releaseHold(ctx, cancelled, at);
  };
  if (hold?.status === "held") return { writes, resume: { kind: "hold", purchase: purchase.id } };
  const value = toPurchase(cancelled, installments, customer, hold, store.history(purchase.id));
  const json = toJson(value);
  return { writes, answer: () => ({ result: ok(json), purchase: { value, json } }) };
}
