import type { Purchase } from "@tranche/shared";
import { toPurchase } from "../storage/api-objects";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import { fail, type Json, ok, toJson } from "./index";

/** Releases an uncaptured purchase: nothing was owed, so nothing is posted. */
export function cancel(ctx: CommandContext, customer: CustomerRow, purchase: PurchaseRow): Decision<Json<Purchase>> {
  if (purchase.status !== "requires_capture") {
    const detail = `Purchase ${purchase.id} is ${purchase.status}; only an uncaptured purchase can be cancelled (refund a captured one).`;
    return fail("invalid_state", detail);
  }
  const { store, clock } = ctx;
  const cancelled: PurchaseRow = { ...purchase, status: "cancelled", version: purchase.version + 1 };
  const installments = store.installments(purchase.id).map((i) => ({ ...i, status: "cancelled" as const }));
  const value = toPurchase(cancelled, installments, customer);
  const json = toJson(value);
  const writes = () => {
    store.updatePurchase(cancelled, installments);
    store.event("purchase.cancelled", purchase.id, null, {}, clock.now().toISOString());
  };
  return { writes, answer: () => ({ result: ok(json), purchase: { value, json } }) };
}
