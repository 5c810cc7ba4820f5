import { childTraceparent, workTrace } from "../../../lib/trace";
import type { AuthoriseResult, CaptureResult, VoidResult } from "../../../processor/port";
import type { Context } from "../context";
import type { HoldRow, PurchaseRow } from "../storage/rows";

/**
 * A hold's processor keys, derived from its purchase: fixed from the moment the hold is committed,
 * so whoever sends a call (the command, a retry of its key, the alarm) sends the same request. The
 * capture is keyed like a charge of its installment (`<purchase>:<number>:…`), as it pays it.
 */
export const holdKeys = (hold: Pick<HoldRow, "purchase_id" | "number">) => ({
  authorise: `${hold.purchase_id}:hold`,
  capture: `${hold.purchase_id}:${hold.number}:capture`,
  void: `${hold.purchase_id}:void`,
});

/** A hold's pending call, made: with a named await point on either side, where a test makes the object die. */
export async function authorise(ctx: Context, hold: HoldRow, purchase: PurchaseRow): Promise<AuthoriseResult> {
  const token = ctx.store.paymentMethodToken(purchase.payment_method);
  if (!token) return { status: "declined", retryable: false, code: "payment_method_missing", message: "" };
  const paymentMethod = { id: purchase.payment_method, token };
  const { amount, call_at: at } = hold;
  const request = { idempotencyKey: holdKeys(hold).authorise, paymentMethod, amount, currency: purchase.currency, at };
  return around(ctx, "authorise", () => ctx.processor.authorise({ ...request, traceparent: trace(purchase) }));
}

/** A hold's charge is named at authorisation: `charge_id` is set from then on (`held` and after). */
export function capture(ctx: Context, hold: HoldRow, purchase: PurchaseRow): Promise<CaptureResult> {
  const { amount, call_at: at } = hold;
  const request = { idempotencyKey: holdKeys(hold).capture, chargeId: hold.charge_id ?? "", amount, at };
  return around(ctx, "capture_hold", () =>
    ctx.processor.captureAuthorisation({ ...request, currency: purchase.currency, traceparent: trace(purchase) }),
  );
}

export function release(ctx: Context, hold: HoldRow, purchase: PurchaseRow): Promise<VoidResult> {
  const request = { idempotencyKey: holdKeys(hold).void, chargeId: hold.charge_id ?? "", traceparent: trace(purchase) };
  return around(ctx, "void", () => ctx.processor.voidAuthorisation(request));
}

async function around<T>(ctx: Context, point: string, call: () => Promise<T>): Promise<T> {
  ctx.faults.at(`${point}:before`);
  const result = await call();
  ctx.faults.at(`${point}:after`);
  return result;
}

const trace = (purchase: PurchaseRow) => childTraceparent(workTrace(purchase.trace_id));
