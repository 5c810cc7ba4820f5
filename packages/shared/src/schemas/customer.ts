import { z } from "@hono/zod-openapi";
import {
  AmountSchema,
  CustomerIdSchema,
  EmailSchema,
  MetadataSchema,
  PaymentMethodIdSchema,
  TimestampSchema,
} from "./common";

const CURRENCY_KEY = /^[A-Za-z]{3}$/;

export const CreditLimitsSchema = z
  .record(z.string().regex(CURRENCY_KEY, { error: "keys are ISO 4217 currency codes" }), AmountSchema)
  .openapi("CreditLimits", {
    // The key's rule, which zod-to-openapi leaves out (a 2020-12 keyword the 3.0 metadata type lacks).
    ...({ propertyNames: { pattern: CURRENCY_KEY.source } } as object),
    description:
      "Most this customer may owe at once per currency, in minor units. A currency not listed uses the default: " +
      "10,000 major units (EUR 10,000.00, JPY 10,000, KWD 10,000.000).",
    example: { EUR: 200000 },
  });

export const CustomerCreateParamsSchema = z
  .strictObject({
    email: EmailSchema.optional().openapi({ example: "ada@example.com" }),
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Ada Lovelace" }),
    credit_limits: CreditLimitsSchema.optional(),
    metadata: MetadataSchema.optional(),
  })
  .openapi("CustomerCreateParams");

export const CustomerSchema = z
  .object({
    id: CustomerIdSchema,
    object: z.literal("customer"),
    email: z.string().nullable(),
    name: z.string().nullable(),
    credit_limits: z.record(z.string(), z.int()),
    metadata: z.record(z.string(), z.string()),
    default_payment_method: PaymentMethodIdSchema.nullable().openapi({
      description:
        "The card a purchase moves to when the card it was charged to is detached (`DELETE " +
        "/v1/customers/{id}/payment_methods/{pm}`); null if none was set.",
    }),
    redacted: z.boolean().openapi({
      description:
        "Whether the customer's personal data was erased (`POST /v1/customers/{id}/redact`): name, email, " +
        "metadata and card details are gone; ids, amounts and the ledger stay. A redacted customer cannot be changed.",
    }),
    livemode: z.boolean(),
    created_at: TimestampSchema,
  })
  .openapi("Customer");

export type CustomerCreateParams = z.input<typeof CustomerCreateParamsSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
