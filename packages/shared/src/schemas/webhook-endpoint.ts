import { z } from "@hono/zod-openapi";
import { idSchema, MetadataSchema, TimestampSchema } from "./common";
import { EVENT_TYPES, type EventType, EventTypeSchema } from "./event-types";

/** Endpoints subscribe to the event types of /v1/events (EVENT_TYPES, the one list). */
export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

export const WebhookEndpointIdSchema = idSchema("we", "we_01JDQ8Z6W2N8X4C2V7B5K9M3PH");

export const EnabledEventSchema = z
  .union([z.literal("*"), EventTypeSchema], { error: "must be a known event type or '*'" })
  .openapi("EnabledEvent", { description: "An event type, or `*` for every type." });

const EnabledEventsSchema = z
  .array(EnabledEventSchema)
  .min(1, { error: "must list at least one event type, or '*' for all" })
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .refine((types) => !types.includes("*") || types.length === 1, { error: "'*' (every event) stands alone" })
  .refine((types) => new Set(types).size === types.length, { error: "lists an event type twice" })
  .openapi({
    description: 'The event types delivered to the endpoint (see EventType), or `["*"]` for every type.',
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
