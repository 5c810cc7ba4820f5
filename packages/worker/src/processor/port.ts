/**
 * The payment processor port: every charge, hold and refund goes through this interface,
 * whether to the built-in simulator or to a real processor adapter. Every adapter must
 * pass the contract suite in test/processor-contract.ts.
 *
 * Contract every implementation keeps:
 * - Idempotency keys. The caller names every call with a key, and one key names one
 *   request (kind, amount, currency, card or charge; a charge's description is only a label).
 *   Once a call with a key has succeeded, the same request with that key returns that very
 *   success (same chargeId or refundId) and never moves money a second time. A call that was
 *   declined or failed, retryable or not, may be tried again under the same key: that is a new
 *   attempt, as when a payment intent is confirmed again. So an installment keeps one key
 *   across all its dunning retries and alarm re-deliveries, a refund payout one key across all
 *   its retries, and at most one attempt under a key can ever move money. A key reused for a
 *   different request (or for the other kind of call) moves no money and answers
 *   `idempotency_mismatch`; the key's own request is unaffected.
 * - Retryable and final outcomes. `retryable: true` means the same request may succeed later
 *   (soft declines, processor errors, timeouts); `retryable: false` means it never will (hard
 *   declines, refunds refused by the charge's state or the card issuer, `idempotency_mismatch`),
 *   so the caller stops and tells someone. Either way, trying again is safe.
 * - Timeouts. A `timeout` means the outcome is unknown: money may have moved. The caller must
 *   retry with the same key, never a new one, so the retry either replays the success or
 *   attempts again; a new key could take or pay the money twice.
 * - Amounts are integers in the currency's minor unit (JPY 0 decimals, EUR 2, KWD 3), at least
 *   1; currencies are ISO 4217 alpha-3 in upper case; keys are not empty. A request breaking
 *   that is a programming error: the call rejects with a RangeError and nothing is recorded
 *   (the key stays unused), rather than being reported as a decline. A refund is in its
 *   charge's currency and at most what is left un-refunded on it; breaking that is a final
 *   failure (`currency_mismatch`, `amount_exceeds_charge`), since only the processor knows.
 * - Outcomes of the processor itself (declines, errors, timeouts, refusals) resolve as
 *   results; the promise never rejects for them, so the caller always has something to record.
 */
export interface PaymentProcessor {
  charge(req: ChargeRequest): Promise<ChargeResult>;
  refund(req: RefundRequest): Promise<RefundResult>;
  /** Holds the amount on the card without taking it (Stripe's capture_method manual, Klarna's order authorisation). */
  authorise(req: AuthoriseRequest): Promise<AuthoriseResult>;
  /** Takes the money a hold keeps, all or part of it: the charge the hold named, now refundable. */
  captureAuthorisation(req: CaptureRequest): Promise<CaptureResult>;
  /** Releases a hold that was not captured. */
  voidAuthorisation(req: VoidRequest): Promise<VoidResult>;
}

/**
 * Holds keep the port's key rules: one key names one request, a success is replayed, anything
 * else may be tried again. `at` is the caller's time of the call (a test clock's in test mode),
 * which the simulator keeps holds by; a real processor keeps them by its own clock. It is not
 * part of the request's identity.
 */
export interface AuthoriseRequest extends ChargeRequest {
  at: string;
}

export type AuthoriseResult =
  /** The hold names its charge from the start, as a Stripe PaymentIntent does; it lapses at `expiresAt`, the processor's limit. */
  { status: "authorised"; chargeId: string; expiresAt: string } | Exclude<ChargeResult, { status: "succeeded" }>;

export interface CaptureRequest {
  idempotencyKey: string;
  /** The hold's charge, from `authorise`. */
  chargeId: string;
  /** Integer minor units, at least 1, at most what the hold keeps. */
  amount: number;
  /** ISO 4217 alpha-3: the hold's currency. */
  currency: string;
  at: string;
  traceparent?: string;
}

export type CaptureResult =
  | { status: "succeeded"; chargeId: string }
  /**
   * A hold is never declined: the card's issuer already agreed. Final: authorisation_expired,
   * authorisation_voided, charge_not_found, amount_exceeds_authorisation, currency_mismatch,
   * idempotency_mismatch. Retryable: processor_error, timeout.
   */
  | { status: "failed"; retryable: boolean; code: string; message: string };

export interface VoidRequest {
  idempotencyKey: string;
  chargeId: string;
  traceparent?: string;
}

export type VoidResult =
  /** Also the answer for a hold that already lapsed: either way nothing is held any more. */
  | { status: "voided" }
  /** Final: charge_not_found, already_captured, idempotency_mismatch. Retryable: processor_error, timeout. */
  | { status: "failed"; retryable: boolean; code: string; message: string };

export interface ChargeRequest {
  idempotencyKey: string;
  paymentMethod: { id: string; token: string };
  /** Integer minor units, at least 1. */
  amount: number;
  /** ISO 4217 alpha-3. */
  currency: string;
  description?: string;
  /** W3C trace context of the work that makes the call, for the processor's side of the trace; not part of the request's identity. */
  traceparent?: string;
}

export type ChargeResult =
  | { status: "succeeded"; chargeId: string }
  /** Soft declines (e.g. insufficient_funds) are retryable; hard ones (e.g. stolen_card) are final. */
  | { status: "declined"; retryable: boolean; code: string; message: string }
  /** The processor could not answer; no decision was made about the card (after a timeout, maybe one was). */
  | { status: "failed"; retryable: true; code: "processor_error" | "timeout"; message: string }
  | IdempotencyMismatch;

export interface RefundRequest {
  idempotencyKey: string;
  chargeId: string;
  /** Integer minor units, at least 1, at most what is left un-refunded on the charge. */
  amount: number;
  /** ISO 4217 alpha-3: the charge's currency. */
  currency: string;
  /** As on a charge: the caller's trace, not part of the request's identity. */
  traceparent?: string;
}

export type RefundResult =
  | { status: "succeeded"; refundId: string }
  /**
   * Final: charge_not_found, amount_exceeds_charge, currency_mismatch, refund_declined (by the
   * card issuer), idempotency_mismatch. Retryable: processor_error, timeout.
   */
  | { status: "failed"; retryable: boolean; code: string; message: string };

/** A key reused for a different request: retrying it can never succeed, so it is final. */
export interface IdempotencyMismatch {
  status: "failed";
  retryable: false;
  code: "idempotency_mismatch";
  message: string;
}
