/**
 * The payment processor port: every charge and refund goes through this interface,
 * whether to the built-in simulator or to a real processor adapter.
 *
 * Contract every implementation keeps:
 * - Idempotency keys are honoured: once a charge with a key has succeeded, the same
 *   request with that key returns that success and never moves money a second time.
 *   A charge that was declined or failed may be tried again under the same key: that is
 *   a new attempt, as when a payment intent is confirmed again. So an installment keeps
 *   one key across all its dunning retries and alarm re-deliveries, and at most one of
 *   them can ever take money. Refunds replay their first result whatever it was. A key
 *   reused for a different request moves no money and answers `idempotency_mismatch`.
 * - Amounts are integers in the currency's minor unit (JPY 0 decimals, EUR 2, KWD 3),
 *   at least 1. A request breaking that is a programming error: the call rejects with
 *   a RangeError and nothing is recorded, rather than being reported as a decline.
 * - Outcomes of the processor itself (declines, errors, timeouts) resolve as results;
 *   the promise does not reject for them, so the caller always has something to record.
 */
export interface PaymentProcessor {
  charge(req: ChargeRequest): Promise<ChargeResult>;
  refund(req: RefundRequest): Promise<RefundResult>;
}

export interface ChargeRequest {
  idempotencyKey: string;
  paymentMethod: { id: string; token: string };
  /** Integer minor units, at least 1. */
  amount: number;
  /** ISO 4217 alpha-3. */
  currency: string;
  description?: string;
}

export type ChargeResult =
  | { status: "succeeded"; chargeId: string }
  /** Soft declines (e.g. insufficient_funds) are retryable; hard ones (e.g. stolen_card) are final. */
  | { status: "declined"; retryable: boolean; code: string; message: string }
  /** The processor could not answer; no decision was made about the card. */
  | { status: "failed"; retryable: true; code: "processor_error" | "timeout"; message: string }
  | IdempotencyMismatch;

export interface RefundRequest {
  idempotencyKey: string;
  chargeId: string;
  /** Integer minor units, at least 1, at most what is left un-refunded on the charge. */
  amount: number;
  currency: string;
}

export type RefundResult =
  | { status: "succeeded"; refundId: string }
  /** e.g. amount_exceeds_charge, charge_not_found, currency_mismatch (all final). */
  | { status: "failed"; retryable: boolean; code: string; message: string };

/** A key reused for a different request: retrying it can never succeed, so it is final. */
export interface IdempotencyMismatch {
  status: "failed";
  retryable: false;
  code: "idempotency_mismatch";
  message: string;
}
