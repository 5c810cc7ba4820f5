// Not a TrancheError: verifying a delivery makes no request, so there is no status or request id.
export { type WebhookPayload, WebhookVerificationError } from "@tranche/shared/webhooks/signature";
export { Tranche } from "./client";
export {
  APIError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  TrancheError,
  ValidationError,
} from "./errors";
export type { ClientOptions, Fetch, RequestOptions } from "./http";
export type { List, Page, PagePromise } from "./pagination";
export type * from "./types.generated";
