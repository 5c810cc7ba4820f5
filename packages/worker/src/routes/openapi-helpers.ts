import { type RouteConfig, z } from "@hono/zod-openapi";
import { ProblemSchema } from "@tranche/shared";
import { PROBLEM_CONTENT_TYPE } from "../lib/problem";

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: the problem's `errors` lists each bad field.",
  401: "Missing or invalid API key.",
  402: "The processor declined the payment; nothing was taken.",
  403: "Live mode is not available on this deployment (`livemode_unavailable`).",
  404: "No such object for this merchant.",
  409: "A request with this Idempotency-Key is still in progress.",
  422: "This Idempotency-Key was used with a different request.",
  429: "Rate limited; see Retry-After.",
  502: "An upstream service refused or garbled the request.",
  503: "An upstream service is unavailable or not configured; retry later.",
};

/** The problem+json responses a route can answer with, for the OpenAPI document. */
export function problems(...statuses: number[]): RouteConfig["responses"] {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  );
}

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const IdempotencyHeaders = z.object({
  // The rule the idempotency middleware enforces (middleware/idempotency.ts), stated for clients.
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7E]+$/)
    .optional()
    .openapi({
      param: { in: "header" },
      description:
        "1–255 printable ASCII characters without spaces (a UUID is a good choice). " +
        "Makes the POST safe to retry: the same key and body replay the first response for 24 hours; " +
        "the same key with a different request answers 422; while the first request runs, 409.",
      example: "5f0c8a9e-3d0b-4c57-9a51-1d2e3f4a5b6c",
    }),
});

/** Every authenticated POST answers these besides its own. */
export const POST_PROBLEMS = [400, 401, 409, 422] as const;
