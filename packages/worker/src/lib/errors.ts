import type { ErrorCode } from "@tranche/shared";

interface ErrorInfo {
  status: number;
  title: string;
  /** What the merchant should do about it; rendered on /docs/errors. */
  help: string;
}

/** The largest request body read, in bytes; a larger one is a 413 (middleware/body-limit.ts). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Every problem the API can answer with. Each code has one status and one title. */
export const ERROR_CATALOG: Record<ErrorCode, ErrorInfo> = {
  validation_error: {
    status: 400,
    title: "Invalid request",
    help: "A field is missing, unknown or out of range. `errors` lists each one with its path.",
  },
  malformed_json: {
    status: 400,
    title: "Malformed JSON",
    help: "The body is not valid JSON. Send `Content-Type: application/json`.",
  },
  authentication_required: {
    status: 401,
    title: "Authentication required",
    help: "Send `Authorization: Bearer sk_test_…` (or the admin token on admin routes).",
  },
  invalid_api_key: {
    status: 401,
    title: "Invalid API key",
    help: "The key is unknown, revoked, or a rolled key whose grace period has ended.",
  },
  not_found: {
    status: 404,
    title: "Not found",
    help: "No such object for this merchant and mode. Another merchant's ids answer 404 as well.",
  },
  method_not_allowed: {
    status: 405,
    title: "Method not allowed",
    help: "The path exists but not with this method. The `Allow` header lists the methods it takes.",
  },
  payload_too_large: {
    status: 413,
    title: "Payload too large",
    help: `The body is over ${BODY_LIMIT_BYTES / 1024} KB, the most any request may send. Nothing was read or written.`,
  },
  unsupported_media_type: {
    status: 415,
    title: "Unsupported media type",
    help: "The body is not sent as JSON. Send it with `Content-Type: application/json`.",
  },
  idempotency_key_in_use: {
    status: 409,
    title: "Idempotency key in use",
    help: "A request with this Idempotency-Key is still being processed. Retry after a moment.",
  },
  idempotency_key_reused: {
    status: 422,
    title: "Idempotency key reused",
    help: "This Idempotency-Key was used for a different request. Use a new key for a new request.",
  },
  credit_limit_exceeded: {
    status: 400,
    title: "Credit limit exceeded",
    help: "The purchase would take the customer's outstanding balance in this currency over their credit limit.",
  },
  amount_too_small_for_plan: {
    status: 400,
    title: "Amount too small for plan",
    help: "Every installment must be at least one minor unit. Use fewer installments or a larger amount.",
  },
  payment_method_not_found: {
    status: 400,
    title: "Payment method not found",
    help: "The payment method does not exist or belongs to another customer.",
  },
  invalid_state: {
    status: 400,
    title: "Invalid state",
    help: "The object is not in a state that allows this, e.g. capturing a purchase twice or cancelling a captured one (refund it instead).",
  },
  payment_declined: {
    status: 402,
    title: "Payment declined",
    help:
      "The processor declined the customer's payment; the detail says why and `decline_code` is the processor's code. " +
      "Nothing was taken. At checkout (`POST /v1/purchases`), `purchase` names the purchase, stored as `declined` with nothing owed.",
  },
  payment_method_in_use: {
    status: 409,
    title: "Payment method in use",
    help:
      "A purchase with money still owed (or awaiting capture) is charged to this card. Set another card as the " +
      "customer's `default_payment_method` to move such purchases to it, or wait until they are settled.",
  },
  customer_redacted: {
    status: 409,
    title: "Customer redacted",
    help: "The customer's personal data was erased: the customer can no longer be changed, nor buy.",
  },
  balance_outstanding: {
    status: 409,
    title: "Balance outstanding",
    help:
      "Money is still owed by or to the customer (an installment, a purchase awaiting capture, a payment or a " +
      "refund payout in progress): the financial records need the customer until it is settled.",
  },
  rate_limited: { status: 429, title: "Too many requests", help: "Slow down; honour the Retry-After header." },
  internal_error: {
    status: 500,
    title: "Internal error",
    help: "Something failed on our side. Retrying with the same Idempotency-Key is safe.",
  },
  analytics_query_failed: {
    status: 502,
    title: "Analytics query failed",
    help: "Analytics Engine refused the query or answered with something unreadable; the operator should check its credentials. Money reports (`/v1/reports/*`) are unaffected.",
  },
  analytics_unavailable: {
    status: 503,
    title: "Analytics unavailable",
    help: "Analytics Engine could not be reached, or analytics are not configured on this deployment. Retry later; money reports (`/v1/reports/*`) are unaffected.",
  },
  livemode_unavailable: {
    status: 403,
    title: "Live mode unavailable",
    help: "This deployment has no payment processor for live mode, so `sk_live_` keys can be neither used nor issued. Use your `sk_test_` key; the operator configures a processor (LIVE_PROCESSOR) to take real payments.",
  },
  secrets_unavailable: {
    status: 503,
    title: "Secrets unavailable",
    help: "This deployment has no usable key to store secrets with (SECRETS_KEY), so the routes that issue a secret (API keys, webhook signing secrets) refuse; nothing was written. The operator sets SECRETS_KEY; everything else keeps working.",
  },
  permission_denied: {
    status: 403,
    title: "Permission denied",
    help: "A restricted key (`rk_…`) asked for something outside its scopes: restricted keys only read, and never manage keys. Use a secret key, or a restricted key with the scope the request needs.",
  },
};

export interface FieldError {
  path: string;
  message: string;
}

/** Members a problem adds for its code: a checkout's `payment_declined` names its purchase and the decline code. */
export interface ProblemExtensions {
  purchase?: string;
  decline_code?: string;
}

/** The one exception type handlers throw; the error handler renders it as problem+json. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly extensions: ProblemExtensions = {},
  ) {
    super(detail);
    this.status = ERROR_CATALOG[code].status;
  }
}

export const notFound = (what: string, id: string) => new ApiError("not_found", `No such ${what}: '${id}'.`);
