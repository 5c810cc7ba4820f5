import type { Purchase } from "@tranche/shared";
import { capturePosting } from "../../../domain/collections/ledger";
import { plannedFollowUps } from "../../../domain/collections/lifecycle";
import { scheduleAtCapture } from "../../../domain/purchases/plan";
import { authorising, takeHold } from "../holds/commands";
import { ledgerPurchase } from "../purchase-status";
import { dueAtCapture } from "../schedule/checkout-decline";
import { startDueCharge } from "../schedule/due-charge";
import type { CustomerRow, PurchaseRow, StoredInstallment } from "../storage/rows";
import { type Answer, type CommandContext, checkoutAnswer, type Decision } from "./decision";
import { fail, type Json } from "./index";

/**
 * Starts the schedule of a manually captured purchase: its due dates count from now, and what falls
 * due now is taken from its hold, or charged if it holds nothing (any more).
 */
export function capture(ctx: CommandContext, purchase: PurchaseRow): Decision<Json<Purchase>> {
  if (purchase.status !== "requires_capture") {
    const detail = `Purchase ${purchase.id} is ${purchase.status}; only a purchase awaiting capture can be captured.`;
    return fail("invalid_state", detail);
  }
  const busy = authorising(ctx, purchase);
  if (busy) return busy;
  const { store, clock } = ctx;
  const now = clock.now();
  const schedule = scheduleAtCapture({ ...purchase, plan: JSON.parse(purchase.plan) }, now);
  const captured: PurchaseRow = {
    ...purchase,
    status: "active",
    captured_at: now.toISOString(),
    version: purchase.version + 1,
  };
  const installments = store.installments(purchase.id).map((i, k) => ({
    ...i,
    due_at: schedule.installments[k]?.due_at ?? i.due_at,
  }));
  const writes = () => {
    store.updatePurchase(captured, installments);
    store.event("purchase.captured", purchase.id, null, {}, now.toISOString());
    startSchedule(ctx, captured, now.toISOString());
    takeHold(ctx, captured, now.toISOString());
  };
  return { writes, resume: { kind: "capture", purchase: purchase.id } };
}

/**
 * Capture: the purchase becomes owed, its due charges and reminders are planned, its installments
 * logged; returns them.
 */
export function startSchedule(ctx: CommandContext, row: PurchaseRow, at: string): StoredInstallment[] {
  const { store, schedule, money } = ctx;
  store.post(capturePosting(ledgerPurchase(row)), at);
  const installments = store.installments(row.id);
  schedule.plan(row.id, installments, at);
  store.logInstallments(
    row.id,
    installments.map((i) => i.number),
    at,
  );
  // A charge due at capture counts the capture once its card has not refused it (intents/due-charge-outcome.ts).
  if (!installments.some((i) => dueAtCapture(row, i))) money.money(row, "capture", row.amount);
  return installments;
}

/**
 * A purchase captured at creation: its charge due at capture starts in the checkout's own
 * transaction, which commits its intent before the call as the alarm's start of a due charge
 * would (schedule/due-charge.ts), one commit fewer than starting it in a second; `finishCapture`
 * sends it. The events recorded before it show the purchase as created, as they always have.
 */
export function startCheckoutCharge(
  ctx: CommandContext,
  row: PurchaseRow,
  installments: StoredInstallment[],
  now: Date,
): void {
  const first = installments.find((i) => dueAtCapture(row, i));
  const charge = first && plannedFollowUps(first, ctx.policy, now).find((f) => f.type === "charge");
  if (!first || !charge || !("at" in charge)) return;
  ctx.store.snapshotEvents();
  startDueCharge(ctx, { purchase_id: row.id, number: first.number, type: "charge", at: charge.at }, row, first, now);
}

/**
 * Charges what falls due at capture (the first part of pay-in-n, a pay-in-full purchase), or takes
 * it from the hold (holds/), before answering, so the merchant learns at checkout whether the card
 * paid: declined, the answer is a `payment_declined` refusal naming the declined purchase
 * (checkout-decline.ts). The charge or capture is already a stored action (a charge then an
 * intent): if this object dies meanwhile, the alarm or a retry makes it instead, under the same
 * processor key. A timeout is no decline: the answer is the purchase with the charge still in
 * flight, asked again later under its key.
 */
export async function finishCapture(
  ctx: CommandContext,
  purchaseId: string,
  customer: CustomerRow,
): Promise<Answer<Json<Purchase>>> {
  const now = ctx.clock.now();
  await ctx.schedule.runDue(now, now);
  // A charge left unanswered by an eviction is sent again under its key, so a retry learns its outcome.
  const open = ctx.intents.open(purchaseId);
  if (open?.attempts === 0) await ctx.intents.resolve(open.id);
  return checkoutAnswer(ctx, purchaseId, customer);
}
