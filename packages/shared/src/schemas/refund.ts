import { z } from "@hono/zod-openapi";
import { AmountSchema, PurchaseIdSchema, RefundIdSchema, TimestampSchema } from "./common";

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
    id: RefundIdSchema,
    object: z.literal("refund"),
    purchase: PurchaseIdSchema,
    amount: z.int().openapi({ description: "Price refunded: what the merchant gives back." }),
    cash_returned: z.int().openapi({
      description:
        "Of that, money the customer had already paid, sent back through the processor so far (one payout per " +
        "paid installment it comes from).",
    }),
    status: z.enum(["pending", "succeeded", "failed"]).openapi({
      description:
        "`pending` while a payout the processor could not make yet is retried (on a schedule of hours); `failed` " +
        "once the processor refused one for good: that cash stays owed to the customer. Each outcome is an event.",
    }),
    reason: z.string().nullable(),
    created_at: TimestampSchema,
  })
  .openapi("Refund");

export type RefundCreateParams = z.input<typeof RefundCreateParamsSchema>;
export type Refund = z.infer<typeof RefundSchema>;
