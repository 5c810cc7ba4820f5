import { z } from "@hono/zod-openapi";
import { TimestampSchema } from "./common";
import { EventTypeSchema } from "./event-types";

export const WebhookDeliveryStatusSchema = z.enum(["pending", "succeeded", "failed"]).openapi("WebhookDeliveryStatus", {
  description:
    "`pending`: an attempt is due (see `next_attempt_at`); `succeeded`: an attempt was answered 2xx; " +
    "`failed`: every scheduled attempt failed, the receiver answered 410, or the endpoint was disabled or deleted.",
});

export const WebhookAttemptSchema = z
  .object({
    attempted_at: TimestampSchema,
    status_code: z.int().nullable().openapi({ description: "The receiver's HTTP status; null if none came." }),
    latency_ms: z.int().openapi({ description: "From sending to the answer's headers (or the failure)." }),
    response_body: z.string().nullable().openapi({ description: "The first 1 KB of the answer, as text." }),
    error: z
      .string()
      .nullable()
      .openapi({ description: "Why there was no usable answer: a timeout, a network error, a refused URL." }),
  })
  .openapi("WebhookAttempt");

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({
      description: "The event's id: the `webhook-id` of every attempt.",
      example: "evt_01JDQ8Z6W2N8X4C2V7B5K9M3PG",
    }),
    object: z.literal("webhook_delivery"),
    type: EventTypeSchema,
    status: WebhookDeliveryStatusSchema,
    attempts: z.array(WebhookAttemptSchema).openapi({ description: "Every attempt, oldest first." }),
    next_attempt_at: TimestampSchema.nullable(),
    created_at: TimestampSchema.openapi({ description: "When the event was queued for this endpoint." }),
  })
  .openapi("WebhookDelivery", { description: "One event's delivery to one endpoint, with its attempts." });

export const WebhookRecoverParamsSchema = z
  .strictObject({
    since: TimestampSchema.openapi({
      description:
        "Redeliver every failed delivery queued, and deliver every missed event made, at or after this time.",
    }),
  })
  .openapi("WebhookRecoverParams");

export const WebhookRecoverResultSchema = z
  .object({
    object: z.literal("webhook_recovery"),
    redelivered: z.int().openapi({
      description: "How many failed deliveries were queued again (missed events are counted in the deliveries list).",
    }),
  })
  .openapi("WebhookRecoverResult");

export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatusSchema>;
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
export type WebhookRecoverParams = z.input<typeof WebhookRecoverParamsSchema>;
export type WebhookRecoverResult = z.infer<typeof WebhookRecoverResultSchema>;
