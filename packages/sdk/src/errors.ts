import type { ErrorCode, Problem } from "./types.generated";

interface ErrorFields {
  status?: number;
  requestId?: string;
  problem?: Problem;
  cause?: unknown;
}

/** Every error the client throws, save the caller's own abort (which rethrows the signal's reason). */
export class TrancheError extends Error {
  override name = "TrancheError";
  /** The HTTP status; undefined when no response arrived. */
  readonly status: number | undefined;
  /** The problem's machine-readable code (see /docs/errors), e.g. `invalid_state`; codes added later are strings too. */
  readonly code: ErrorCode | (string & Record<never, never>) | undefined;
  /** The request's id, for support and the Worker's logs. */
  readonly requestId: string | undefined;
  /** The RFC 9457 problem body as the API sent it. */
  readonly problem: Problem | undefined;

  constructor(message: string, fields: ErrorFields = {}) {
    super(message, { cause: fields.cause });
    this.status = fields.status;
    this.code = fields.problem?.code;
    this.requestId = fields.problem?.request_id ?? fields.requestId;
    this.problem = fields.problem;
  }
}

/** The API answered with a problem: 5xx, and the base of every class below for 4xx. */
export class APIError extends TrancheError {
  override name = "APIError";
}

/** A 4xx the request itself caused: a business rule refused it (`invalid_state`, `credit_limit_exceeded`, …). */
export class InvalidRequestError extends APIError {
  override name = "InvalidRequestError";
}

/** 400 `validation_error` or `malformed_json`: `errors` lists each invalid field. */
export class ValidationError extends InvalidRequestError {
  override name = "ValidationError";
  get errors(): { path: string; message: string }[] {
    return this.problem?.errors ?? [];
  }
}

/** 401: the key is missing, malformed, unknown or revoked. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}

/**
 * 402 `payment_declined`: the card was declined and nothing was taken. At checkout
 * (`purchases.create`), the purchase is stored as `declined` with nothing owed: `purchase` is its id.
 */
export class PaymentDeclinedError extends APIError {
  override name = "PaymentDeclinedError";
  /** The declined purchase's id, when the decline refused a checkout. */
  get purchase(): string | undefined {
    return this.problem?.purchase;
  }
  /** The processor's decline code, e.g. `insufficient_funds`, when it gave one. */
  get declineCode(): string | undefined {
    return this.problem?.decline_code;
  }
}

/**
 * 403 `permission_denied`: a restricted key (`rk_…`) asked for something outside its scopes. Restricted keys
 * only read; use a secret key, or a restricted key with the scope.
 */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}

/** 404: no such object for this merchant (another merchant's ids answer 404 too). */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}

/**
 * 409: `idempotency_key_in_use` (still raised once the retries are spent), or a customer's state refusing
 * the change: `payment_method_in_use`, `balance_outstanding`, `customer_redacted` (never retried).
 */
export class ConflictError extends APIError {
  override name = "ConflictError";
}

/** 422 `idempotency_key_reused`: the key was first used for a different request. */
export class IdempotencyError extends APIError {
  override name = "IdempotencyError";
}

/** 429, once the retries are spent. */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}

/** No response: the network failed. Retried, since every POST carries an Idempotency-Key. */
export class ConnectionError extends TrancheError {
  override name = "ConnectionError";
}

/** No response within the timeout. A kind of ConnectionError, and retried like one. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
}

type APIErrorClass = typeof APIError;

const BY_CODE: Record<string, APIErrorClass> = {
  validation_error: ValidationError,
  malformed_json: ValidationError,
  idempotency_key_reused: IdempotencyError,
  permission_denied: PermissionDeniedError,
};

const BY_STATUS: Record<number, APIErrorClass> = {
  401: AuthenticationError,
  402: PaymentDeclinedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

/** The error for an answer that failed, or whose body could not be read; `problem` is absent when it is not one. */
export function errorFor(status: number, problem: Problem | undefined, requestId: string | undefined): APIError {
  const Class =
    BY_CODE[problem?.code ?? ""] ??
    BY_STATUS[status] ??
    (status >= 400 && status < 500 ? InvalidRequestError : APIError);
  const message = problem?.detail ?? `The API answered ${status} with a body that is not a problem.`;
  return new Class(message, { status, problem, requestId });
}
