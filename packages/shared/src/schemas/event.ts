import { z } from "@hono/zod-openapi";
import { CustomerIdSchema, PurchaseIdSchema, TimestampSchema } from "./common";
import { CustomerSchema } from "./customer";
import { EventTypeSchema } from "./event-types";
import { ListParamsSchema } from "./list";
import { PaymentMethodSchema } from "./payment-method";
import { PurchaseSchema } from "./purchase";
import { RefundSchema } from "./refund";
import { WebhookEndpointSchema } from "./webhook-endpoint";

export const EventSchema = z
  .object({
    id: z
      .string()
      .openapi({ example: "evt_01JDQ8Z6W2N8X4C2V7B5K9M3PG", description: "Stable: the webhook-id of its deliveries." }),
    object: z.literal("event"),
    type: EventTypeSchema,
    customer: CustomerIdSchema.nullable().openapi({
      description: "The customer it is about; null for `webhook_endpoint.*` events, which are about an endpoint.",
    }),
    purchase: PurchaseIdSchema.nullable(),
    livemode: z.boolean(),
    created_at: TimestampSchema.openapi({
      description: "When it happened, on the customer's clock (a test clock in tests).",
    }),
    data: z
      .object({
        object: z
          .union([PurchaseSchema, RefundSchema, WebhookEndpointSchema, CustomerSchema, PaymentMethodSchema])
          .nullable()
          .openapi({
            description:
              "The object as the change left it: the refund for `refund.*`, the webhook endpoint for " +
              "`webhook_endpoint.*`, the customer for `customer.*`, the card for `payment_method.*`, the purchase " +
              "otherwise. Once a customer is redacted, its `customer.*` and `payment_method.*` events show the " +
              "redacted objects.",
          }),
        installment: z.int().optional().openapi({ description: "The installment's number, for `installment.*`." }),
      })
      .catchall(z.unknown())
      .openapi({ description: "Details beside the object depend on the type (`code`, `fee`, `days`)." }),
  })
  .openapi("Event");

export const EventListParamsSchema = ListParamsSchema.extend({
  type: EventTypeSchema.optional(),
  customer: CustomerIdSchema.optional(),
  purchase: PurchaseIdSchema.optional(),
  "created[gte]": TimestampSchema.optional().openapi({ description: "Created at or after (inclusive)." }),
  "created[lt]": TimestampSchema.optional().openapi({ description: "Created before (exclusive)." }),
});

export const EventIdPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "evt_01JDQ8Z6W2N8X4C2V7B5K9M3PG" }),
});

export type Event = z.infer<typeof EventSchema>;
export type EventListParams = z.input<typeof EventListParamsSchema>;
