import type { CaptureRequest, CaptureResult, ChargeRequest, VoidRequest, VoidResult } from "./port";
import { isAttempt, type SimulatorCall } from "./simulator-store";

/** How long the simulator keeps a hold: Stripe's limit for card holds. */
export const SIMULATOR_HOLD_DAYS = 7;
/** tok_hold_expires_early's holds lapse after a day, so a test can reach an expired hold on a short clock advance. */
const EARLY_HOLD_DAYS = 1;
const DAY_MS = 86_400_000;

/** When a hold authorised at `at` on the card lapses. */
export function holdExpiry(card: ChargeRequest["paymentMethod"], at: string): string {
  const days = card.token === "tok_hold_expires_early" ? EARLY_HOLD_DAYS : SIMULATOR_HOLD_DAYS;
  return new Date(Date.parse(at) + days * DAY_MS).toISOString();
}

type Authorisation = Extract<SimulatorCall, { kind: "authorise" }>;
type Capture = Extract<SimulatorCall, { kind: "capture" }>;

/** The authorisation that created the charge, among the attempts about it. */
const holdIn = (related: readonly SimulatorCall[]) =>
  related.find((c): c is Authorisation => c.kind === "authorise" && c.result.status === "authorised");
const captureIn = (related: readonly SimulatorCall[]) =>
  related.find((c): c is Capture => c.kind === "capture" && c.result.status === "succeeded");
const voidedIn = (related: readonly SimulatorCall[]) =>
  related.some((c) => c.kind === "void" && c.result.status === "voided");

/** A hold is taken unless it lapsed, was voided or asks for more or other money than it keeps; never declined. */
export function decideCapture(related: readonly SimulatorCall[], req: CaptureRequest): CaptureResult {
  const calls = related.filter(isAttempt);
  const hold = holdIn(calls);
  if (!hold) return final("charge_not_found", `No authorised hold ${req.chargeId}.`);
  if (voidedIn(calls)) return final("authorisation_voided", `The hold ${req.chargeId} was voided.`);
  if (req.at >= (hold.result as { expiresAt: string }).expiresAt) {
    return final("authorisation_expired", `The hold ${req.chargeId} has lapsed.`);
  }
  if (captureIn(calls)) return final("already_captured", `The hold ${req.chargeId} was already captured.`);
  if (req.currency !== hold.request.currency) {
    return final("currency_mismatch", `The hold ${req.chargeId} is in ${hold.request.currency}.`);
  }
  if (req.amount > hold.request.amount) {
    return final("amount_exceeds_authorisation", `The hold ${req.chargeId} keeps ${hold.request.amount} minor units.`);
  }
  return { status: "succeeded", chargeId: req.chargeId };
}

/** A hold not captured is released; a lapsed one answers alike, since nothing is held either way. */
export function decideVoid(related: readonly SimulatorCall[], req: VoidRequest): VoidResult {
  const calls = related.filter(isAttempt);
  if (!holdIn(calls)) return final("charge_not_found", `No authorised hold ${req.chargeId}.`);
  if (captureIn(calls)) return final("already_captured", `The hold ${req.chargeId} was captured; refund it instead.`);
  return { status: "voided" };
}

/** What a charge took, whether charged at once or captured from a hold: what its refunds are measured against. */
export function takenBy(
  related: readonly SimulatorCall[],
): { amount: number; currency: string; card: ChargeRequest["paymentMethod"] } | undefined {
  const calls = related.filter(isAttempt);
  const charge = calls.find((c) => c.kind === "charge");
  if (charge?.kind === "charge") {
    return { amount: charge.request.amount, currency: charge.request.currency, card: charge.request.paymentMethod };
  }
  const hold = holdIn(calls);
  const capture = captureIn(calls);
  return hold && capture
    ? { amount: capture.request.amount, currency: capture.request.currency, card: hold.request.paymentMethod }
    : undefined;
}

function final(code: string, message: string) {
  return { status: "failed", retryable: false, code, message } as const;
}
