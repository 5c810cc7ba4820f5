import { installmentPaidPosting } from "../../../domain/collections/ledger";
import { transition } from "../../../domain/collections/lifecycle";
import { deriveStatus } from "../../../domain/collections/purchase-status";
import { holdExpiry } from "../../../domain/purchases/holds";
import { logger } from "../../../lib/log";
import type { AuthoriseResult, CaptureResult, VoidResult } from "../../../processor/port";
import type { Context } from "../context";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import { planFollowUps } from "../schedule/follow-ups";
import type { HoldRow, PurchaseRow } from "../storage/rows";
import { saveHold } from "./plan";

/** A processor error or timeout: the same call is sent again, later each time, at most a day apart. */
const RETRY_MS = 3_600_000;
const retryAt = (attempts: number, at: string) =>
  new Date(Date.parse(at) + Math.min(RETRY_MS * 2 ** (attempts - 1), 24 * RETRY_MS)).toISOString();

type Failure = { status: string; retryable: boolean; code: string };

/**
 * A processor error or timeout (the outcome unknown, no refusal): the hold keeps its step and the
 * alarm sends the same call again. A decline, soft or hard, is a refusal: never retried.
 */
function retry(ctx: Context, hold: HoldRow, result: Failure, at: string): boolean {
  if (result.status !== "failed" || !result.retryable) return false;
  const attempts = hold.attempts + 1;
  const next = retryAt(attempts, at);
  // An authorisation is not tried past the hold period: it ends then, authorised or not.
  const callAt = hold.status === "authorising" && hold.ends_at < next ? hold.ends_at : next;
  saveHold(ctx.store, { ...hold, attempts, failure: result.code }, callAt);
  return true;
}

/** What an authorisation came to: held until it lapses, or refused, and then the purchase is declined. */
export function recordAuthorisation(
  ctx: Context,
  hold: HoldRow,
  purchase: PurchaseRow,
  result: AuthoriseResult,
  at: string,
) {
  if (result.status === "authorised") {
    const expires_at = holdExpiry(hold.ends_at, result.expiresAt);
    saveHold(ctx.store, { ...hold, status: "held", charge_id: result.chargeId, expires_at, failure: null });
    return "held";
  }
  if (retry(ctx, hold, result, at)) return `retrying (${result.code})`;
  end(ctx, { ...hold, status: "declined", failure: result.code }, purchase);
  ctx.store.event("purchase.declined", purchase.id, null, { code: result.code }, at);
  return `declined (${result.code})`;
}

/**
 * What a capture came to: the held money taken pays the installment due at capture, as its due
 * charge would have; a hold the processor no longer keeps is lapsed and that installment is
 * charged afresh instead (schedule/due-charge.ts), which may be declined like any checkout.
 */
export function recordCapture(ctx: Context, hold: HoldRow, purchase: PurchaseRow, result: CaptureResult, at: string) {
  const { store, policy, money } = ctx;
  if (result.status !== "succeeded") {
    if (retry(ctx, hold, result, at)) return `retrying (${result.code})`;
    saveHold(store, { ...hold, status: "lapsed", failure: result.code });
    // Its due charge is planned again: a charge of its own, an intent like any other (schedule/due-charge.ts).
    const installment = store.installments(purchase.id).find((i) => i.number === hold.number);
    const afresh = installment && transition(installment, { type: "hold_lapsed" }, policy, new Date(at));
    if (afresh?.ok) store.saveInstallment({ ...afresh.installment, purchase_id: purchase.id }, at);
    store.putAction({ purchase_id: purchase.id, number: hold.number, type: "charge", at: hold.call_at });
    return `lapsed (${result.code})`;
  }
  const installment = store.installments(purchase.id).find((i) => i.number === hold.number);
  const paid = installment && transition(installment, { type: "charge_succeeded" }, policy, new Date(at));
  if (!installment || !paid?.ok) throw new Error(`the capture of ${purchase.id} no longer applies to its installment`);
  saveHold(store, { ...hold, status: "captured", failure: null });
  store.saveInstallment({ ...paid.installment, purchase_id: purchase.id, charge_id: result.chargeId }, at);
  // Counted as the due charge it stands for: a capture never fails for the card, so only a taken one counts.
  money.money(purchase, "charge.attempted", hold.amount);
  money.money(purchase, "charge.succeeded", hold.amount);
  // The capture counts once what fell due at it is taken, as after a due charge (intents/due-charge-outcome.ts).
  money.money(purchase, "capture", purchase.amount);
  store.post(installmentPaidPosting(ledgerPurchase(purchase), installment), at);
  store.event("installment.paid", purchase.id, hold.number, {}, at);
  planFollowUps(store, purchase.id, paid.followUps, at);
  refreshStatus(store, purchase, at);
  return "captured";
}

/**
 * What a release came to: voided after a cancel, or ending the purchase when its period is over.
 * A final refusal leaves nothing to release either (the hold is gone, or was taken: logged).
 */
export function recordRelease(ctx: Context, hold: HoldRow, purchase: PurchaseRow, result: VoidResult, at: string) {
  if (result.status !== "voided") {
    if (retry(ctx, hold, result, at)) return `retrying (${result.code})`;
    logger.error("a hold could not be released", { purchase_id: purchase.id, code: result.code });
  }
  const failure = result.status === "voided" ? null : result.code;
  if (hold.status === "voiding") {
    saveHold(ctx.store, { ...hold, status: "voided", failure });
    ctx.store.touch(purchase.id);
    return "voided";
  }
  return expire(ctx, { ...hold, failure }, purchase, at);
}

/** The hold period is over, the purchase uncaptured: it expires, owing nothing. */
export function expire(ctx: Context, hold: HoldRow, purchase: PurchaseRow, at: string): string {
  end(ctx, { ...hold, status: "expired" }, purchase);
  ctx.store.event("purchase.expired", purchase.id, null, {}, at);
  return "expired";
}

/** An uncaptured purchase ends without being owed: its installments cancelled, its status what its hold says. */
function end(ctx: Context, hold: HoldRow, purchase: PurchaseRow): void {
  const { store } = ctx;
  saveHold(store, hold);
  const installments = store.installments(purchase.id).map((i) => ({ ...i, status: "cancelled" as const }));
  const status = deriveStatus(purchase, installments, hold);
  store.dropActions(purchase.id);
  store.updatePurchase({ ...purchase, status, version: purchase.version + 1 }, installments);
}
