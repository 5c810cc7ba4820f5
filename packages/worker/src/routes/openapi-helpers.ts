import { z } from "@hono/zod-openapi";

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
