import { z } from "@hono/zod-openapi";

/** RFC 9457 problem details, the one error envelope of the API. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://docs.tranche.dev/errors/validation_error" }),
    title: z.string().openapi({ example: "Invalid request" }),
    status: z.int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "amount: must be at least 1 minor unit" }),
    code: z.string().openapi({ example: "validation_error" }),
    request_id: z.string().openapi({ example: "req_01JDQ8Z6W2N8X4C2V7B5K9M3PE" }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "One entry per invalid field (validation errors only)." }),
    purchase: z.string().optional().openapi({
      description: "`payment_declined` at checkout: the id of the purchase, stored as `declined` with nothing owed.",
    }),
    decline_code: z.string().optional().openapi({
      description: "`payment_declined` at checkout: the processor's decline code, e.g. `insufficient_funds`.",
      example: "insufficient_funds",
    }),
  })
  .openapi("Problem");

export type Problem = z.infer<typeof ProblemSchema>;

/** Stable machine-readable codes; `type` is the documentation URL of the code. */
export const ERROR_CODES = [
  "validation_error",
  "malformed_json",
  "authentication_required",
  "invalid_api_key",
  "not_found",
  "method_not_allowed",
  "payload_too_large",
  "unsupported_media_type",
  "idempotency_key_in_use",
  "idempotency_key_reused",
  "credit_limit_exceeded",
  "amount_too_small_for_plan",
  "payment_method_not_found",
  "invalid_state",
  "payment_declined",
  "rate_limited",
  "internal_error",
  "analytics_query_failed",
  "analytics_unavailable",
  "livemode_unavailable",
  "secrets_unavailable",
  "permission_denied",
  "payment_method_in_use",
  "customer_redacted",
  "balance_outstanding",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
