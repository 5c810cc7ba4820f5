import type { Purchase } from "@tranche/shared";
import { planPurchase } from "../../../domain/purchases/plan";
import { ownedId } from "../../../lib/ids";
import { newHold, saveHold } from "../holds/plan";
import { newPurchaseRows, toPurchase } from "../storage/api-objects";
import { NO_HISTORY } from "../storage/purchase-history";
import type { CustomerRow } from "../storage/rows";
import { startCheckoutCharge, startSchedule } from "./capture";
import type { CommandContext, Decision } from "./decision";
import { type CreatePurchaseCommand, type Json, ok, toJson } from "./index";

/**
 * A new purchase, within the customer's credit limit: captured at once, when its schedule starts
 * and what falls due at capture is charged before the answer (capture.ts); or awaiting capture,
 * when what will fall due then is authorised before the answer, a hold on the card (holds/).
 */
export function createPurchase(
  ctx: CommandContext,
  cmd: CreatePurchaseCommand,
  customer: CustomerRow,
): Decision<Json<Purchase>> {
  const { store, clock } = ctx;
  const now = clock.now();
  const p = cmd.params;
  const plan = planPurchase(p, {
    paymentMethodAttached: store.paymentMethodToken(p.payment_method) !== undefined,
    creditLimits: JSON.parse(customer.credit_limits),
    outstandingPrincipal: store.outstandingPrincipal(p.currency),
    now,
  });
  if (!plan.ok) return plan;
  const { row, installments } = newPurchaseRows(
    ownedId("pur", customer.id, now.getTime()),
    p,
    plan.schedule,
    now,
    cmd.traceId,
  );
  const hold = newHold(row, installments, ctx.policy);
  const writes = () => {
    store.insertPurchase(row, installments);
    store.event("purchase.created", row.id, null, {}, row.created_at);
    if (row.captured_at) startCheckoutCharge(ctx, row, startSchedule(ctx, row, row.captured_at), now);
    if (hold) saveHold(store, hold);
  };
  if (row.captured_at) return { writes, resume: { kind: "capture", purchase: row.id } };
  if (hold) return { writes, resume: { kind: "hold", purchase: row.id } };
  const value = toPurchase(row, installments, customer, undefined, NO_HISTORY);
  const json = toJson(value);
  return { writes, answer: () => ({ result: ok(json), purchase: { value, json } }) };
}
