import { buildSchedule, type Plan, PlanError, type PurchaseCreateInput, type Schedule } from "@tranche/shared";
import { type Refusal, refuse } from "../collections/refusal";
import { checkCredit, creditLimit } from "../credit";

export type PurchaseRefusal = Refusal<
  "payment_method_not_found" | "amount_too_small_for_plan" | "credit_limit_exceeded"
>;

export interface PurchaseContext {
  /** Whether the purchase's payment method is attached to the customer. */
  paymentMethodAttached: boolean;
  creditLimits: Record<string, number>;
  /** Principal the customer still owes in the purchase's currency. */
  outstandingPrincipal: number;
  now: Date;
}

/**
 * Whether a customer may buy this on this plan, and if so its schedule from now: the card must
 * be theirs, every installment at least one minor unit, and the principal within their credit.
 */
export function planPurchase(
  params: PurchaseCreateInput,
  context: PurchaseContext,
): PurchaseRefusal | { ok: true; schedule: Schedule } {
  if (!context.paymentMethodAttached) {
    return refuse(
      "payment_method_not_found",
      `Payment method '${params.payment_method}' is not attached to this customer.`,
    );
  }
  let schedule: Schedule;
  try {
    schedule = buildSchedule({
      amount: params.amount,
      currency: params.currency,
      plan: params.plan,
      anchor: context.now,
    });
  } catch (e) {
    if (e instanceof PlanError) return refuse("amount_too_small_for_plan", e.message);
    throw e;
  }
  const limit = creditLimit(context.creditLimits, params.currency);
  const credit = checkCredit(limit, context.outstandingPrincipal, params.amount);
  if (!credit.ok) {
    return refuse(
      "credit_limit_exceeded",
      `Amount ${params.amount} exceeds the customer's available credit of ${credit.available} ${params.currency} minor units (limit ${limit}).`,
    );
  }
  return { ok: true, schedule };
}

/** A manually captured purchase's schedule counts from its capture. */
export function scheduleAtCapture(
  purchase: { amount: number; currency: string; plan: Plan },
  capturedAt: Date,
): Schedule {
  return buildSchedule({ ...purchase, anchor: capturedAt });
}
