import { z } from "@hono/zod-openapi";
import { idSchema, MetadataSchema, TimestampSchema } from "./common";

/**
 * Every event type a webhook endpoint can subscribe to, with what it means. The one list: the
 * enabled_events validation, the OpenAPI document (so /docs) and the SDK's types all come from it.
 */
export const WEBHOOK_EVENTS = {
  "purchase.created": "A purchase was created, with its plan and schedule.",
  "purchase.active": "A purchase's schedule is running: it was captured, or a delinquent one is back in good standing.",
  "purchase.completed": "Nothing more is owed on a purchase: every installment is paid (or refunded).",
  "purchase.delinquent": "An installment failed its final retry: the purchase is delinquent.",
  "purchase.cancelled": "An uncaptured purchase was cancelled and its authorisation released.",
  "purchase.refunded": "A purchase was refunded in full.",
  "purchase.paid_off": "The customer paid off everything still owed on a purchase at once.",
  "purchase.written_off": "What a delinquent purchase still owed was written off.",
  "installment.paid": "An installment was charged successfully (when due, on a retry, or paid early).",
  "installment.failed": "An installment's charge failed; it will be retried on the dunning schedule.",
  "installment.failed_final": "An installment's charge failed for the last time: no more retries.",
  "installment.reminder": "An installment falls due soon: time to remind the customer.",
  "refund.succeeded": "A refund's money reached the customer.",
  "refund.failed": "A refund's payout failed for good; the money was not returned.",
  "webhook_endpoint.disabled":
    "A webhook endpoint was disabled after failing every delivery for five days, or on a 410.",
  "webhook_endpoint.failing": "A webhook endpoint has failed every delivery for four days: it is disabled in a day.",
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

const EVENT_TABLE = Object.entries(WEBHOOK_EVENTS)
  .map(([type, what]) => `- \`${type}\`: ${what}`)
  .join("\n");

export const WebhookEventTypeSchema = z
  .enum(WEBHOOK_EVENT_TYPES)
  .openapi("WebhookEventType", { description: `An event type:\n\n${EVENT_TABLE}` });

export const WebhookEndpointIdSchema = idSchema("we", "we_01JDQ8Z6W2N8X4C2V7B5K9M3PH");

export const EnabledEventSchema = z
  .union([z.literal("*"), WebhookEventTypeSchema], { error: "must be a known event type or '*'" })
  .openapi("EnabledEvent", { description: "An event type, or `*` for every type." });

const EnabledEventsSchema = z
  .array(EnabledEventSchema)
  .min(1, { error: "must list at least one event type, or '*' for all" })
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .refine((types) => !types.includes("*") || types.length === 1, { error: "'*' (every event) stands alone" })
  .refine((types) => new Set(types).size === types.length, { error: "lists an event type twice" })
  .openapi({
    description: 'The event types delivered to the endpoint (see WebhookEventType), or `["*"]` for every type.',
    example: ["installment.paid", "installment.failed"],
  });

const UrlSchema = z
  .url({ error: "must be an absolute https URL" })
  .max(2048)
  .openapi({
    description:
      "Where events are POSTed: `https` only. Live mode refuses private, loopback, link-local and cloud metadata " +
      "addresses, names like `localhost` or `*.internal`, credentials in the URL, and ports below 1024 other than 443. " +
      "Stored as parsed (e.g. `https://Example.com` becomes `https://example.com/`).",
    example: "https://shop.example.com/tranche/webhooks",
  });

const DescriptionSchema = z.string().trim().max(500).openapi({ example: "Order fulfilment" });

export const WebhookEndpointCreateParamsSchema = z
  .strictObject({
    url: UrlSchema,
    enabled_events: EnabledEventsSchema,
    description: DescriptionSchema.optional(),
    metadata: MetadataSchema.optional(),
  })
  .openapi("WebhookEndpointCreateParams");

export const WebhookEndpointStatusSchema = z.enum(["enabled", "disabled"]).openapi("WebhookEndpointStatus", {
  description: "A disabled endpoint receives nothing until it is enabled again.",
});

export const WebhookEndpointUpdateParamsSchema = z
  .strictObject({
    url: UrlSchema.optional(),
    enabled_events: EnabledEventsSchema.optional(),
    description: DescriptionSchema.nullable().optional().openapi({ description: "`null` clears it." }),
    metadata: MetadataSchema.optional(),
    status: WebhookEndpointStatusSchema.optional(),
  })
  .openapi("WebhookEndpointUpdateParams", {
    description:
      'Only the fields given change. `metadata` is merged into the endpoint\'s: a key set to `""` is removed.',
  });

export const WebhookEndpointSchema = z
  .object({
    id: WebhookEndpointIdSchema,
    object: z.literal("webhook_endpoint"),
    url: z.string().openapi({ example: "https://shop.example.com/tranche/webhooks" }),
    enabled_events: z.array(EnabledEventSchema),
    description: z.string().nullable(),
    status: WebhookEndpointStatusSchema,
    metadata: z.record(z.string(), z.string()),
    previous_secret_expires_at: TimestampSchema.nullable().openapi({
      description:
        "After a secret rotation, until when deliveries are also signed with the previous secret; otherwise null.",
    }),
    livemode: z.boolean(),
    created_at: TimestampSchema,
  })
  .openapi("WebhookEndpoint", {
    description: "Where Tranche POSTs events, signed per Standard Webhooks. Its secret is shown only when issued.",
  });

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description:
      "The signing secret (`whsec_` and base64 of 32 random bytes), for verifying deliveries. Shown only in the " +
      "answer that issued it: on creation and on rotation.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw/7FMRkOnDe0=",
  }),
}).openapi("WebhookEndpointWithSecret", {
  description: "A webhook endpoint with its signing secret: the answer to its creation or to a rotation.",
});

export const DeletedWebhookEndpointSchema = z
  .object({ id: WebhookEndpointIdSchema, object: z.literal("webhook_endpoint"), deleted: z.literal(true) })
  .openapi("DeletedWebhookEndpoint");

export type WebhookEndpointCreateParams = z.input<typeof WebhookEndpointCreateParamsSchema>;
export type WebhookEndpointUpdateParams = z.input<typeof WebhookEndpointUpdateParamsSchema>;
export type WebhookEndpointStatus = z.infer<typeof WebhookEndpointStatusSchema>;
export type EnabledEvent = z.infer<typeof EnabledEventSchema>;
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;
export type DeletedWebhookEndpoint = z.infer<typeof DeletedWebhookEndpointSchema>;
