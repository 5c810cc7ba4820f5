import { z } from "@hono/zod-openapi";
import { EmailSchema, MetadataSchema, PaymentMethodIdSchema } from "./common";
import { CreditLimitsSchema } from "./customer";

/**
 * What `POST /v1/customers/{id}` changes; a field left out is left as it is. Metadata is merged
 * key by key as at Stripe: a key set to "" is removed. Credit limits are merged per currency.
 */
export const CustomerUpdateParamsSchema = z
  .strictObject({
    email: EmailSchema.nullable().optional().openapi({ example: "ada@example.com", description: "null removes it." }),
    name: z.string().trim().min(1).max(200).nullable().optional().openapi({
      example: "Ada Lovelace",
      description: "null removes it.",
    }),
    credit_limits: CreditLimitsSchema.optional().openapi({
      description:
        "Merged per currency. A limit may be set below what the customer owes now: nothing owed changes, and " +
        "new purchases in that currency are refused (`credit_limit_exceeded`) until the balance is below it.",
    }),
    /** Merged key by key; a key set to an empty string is removed (the route's description says so). */
    metadata: MetadataSchema.optional(),
    default_payment_method: PaymentMethodIdSchema.nullable().optional().openapi({
      description: "One of the customer's attached cards, or null for none.",
    }),
  })
  .openapi("CustomerUpdateParams");

/** The answer of detaching a card: it is gone from the customer's cards and can no longer be charged. */
export const DetachedPaymentMethodSchema = z
  .object({
    id: PaymentMethodIdSchema,
    object: z.literal("payment_method"),
    detached: z.literal(true),
  })
  .openapi("DetachedPaymentMethod");

export type CustomerUpdateParams = z.input<typeof CustomerUpdateParamsSchema>;
export type DetachedPaymentMethod = z.infer<typeof DetachedPaymentMethodSchema>;
