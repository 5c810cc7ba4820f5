import { z } from "@hono/zod-openapi";
import { AmountSchema, PurchaseIdSchema, TimestampSchema } from "./common";

export const RefundCreateParamsSchema = z
  .strictObject({
    amount: AmountSchema.optional().openapi({
      description: "Part of the purchase price to refund, in minor units. Omitted: everything still refundable.",
    }),
    reason: z.enum(["requested_by_customer", "returned_goods", "duplicate", "fraudulent"]).optional(),
  })
  .openapi("RefundCreateParams");

export const RefundSchema = z
  .object({
    id: z.string().openapi({ example: "re_01JDQ8Z6W2N8X4C2V7B5K9M3PF" }),
    object: z.literal("refund"),
    purchase: PurchaseIdSchema,
    amount: z.int().openapi({ description: "Price refunded: what the merchant gives back." }),
    cash_returned: z.int().openapi({
      description: "Of that, money the customer had already paid, sent back through the processor.",
    }),
    status: z.enum(["succeeded", "failed"]).openapi({
      description: "`failed` when the processor refused to pay the cash back; the amount stays owed to the customer.",
    }),
    reason: z.string().nullable(),
    created_at: TimestampSchema,
  })
  .openapi("Refund");

export type RefundCreateParams = z.input<typeof RefundCreateParamsSchema>;
export type Refund = z.infer<typeof RefundSchema>;
