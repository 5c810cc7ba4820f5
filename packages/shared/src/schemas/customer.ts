import { z } from "@hono/zod-openapi";
import { AmountSchema, CustomerIdSchema, MetadataSchema, TimestampSchema } from "./common";

export const CreditLimitsSchema = z
  .record(z.string().regex(/^[A-Za-z]{3}$/, { error: "keys are ISO 4217 currency codes" }), AmountSchema)
  .openapi("CreditLimits", {
    description:
      "Most this customer may owe at once per currency, in minor units. A currency not listed uses the default: " +
      "10,000 major units (EUR 10,000.00, JPY 10,000, KWD 10,000.000).",
    example: { EUR: 200000 },
  });

export const CustomerCreateParamsSchema = z
  .strictObject({
    email: z.email().max(320).optional().openapi({ example: "ada@example.com" }),
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
    livemode: z.boolean(),
    created_at: TimestampSchema,
  })
  .openapi("Customer");

export type CustomerCreateParams = z.input<typeof CustomerCreateParamsSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
