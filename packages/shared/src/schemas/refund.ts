import { z } from "@hono/zod-openapi";
import { AmountSchema, CustomerIdSchema, PurchaseIdSchema, RefundIdSchema, TimestampSchema } from "./common";
import { ListParamsSchema } from "./list";

export const RefundCreateParamsSchema = z
  .strictObject({
    amount: AmountSchema.optional().openapi({
      description: "Part of the purchase price to refund, in minor units. Omitted: everything still refundable.",
    }),
    reason: z.enum(["requested_by_customer", "returned_goods", "duplicate", "fraudulent"]).optional(),
  })
  .openapi("RefundCreateParams");

export const RefundStatusSchema = z.enum(["pending", "succeeded", "failed"]).openapi("RefundStatus", {
  description:
    "`pending` while a payout the processor could not make yet is retried (on a schedule of hours); `failed` " +
    "once the processor refused one for good: that cash stays owed to the customer. Each outcome is an event.",
});

export const RefundSchema = z
  .object({
    id: RefundIdSchema,
    object: z.literal("refund"),
    purchase: PurchaseIdSchema,
    customer: CustomerIdSchema,
    amount: z.int().openapi({ description: "Price refunded: what the merchant gives back." }),
    currency: z.string().openapi({ description: "The purchase's currency.", example: "EUR" }),
    cash_returned: z.int().openapi({
      description:
        "Of that, money the customer had already paid, sent back through the processor so far (one payout per " +
        "paid installment it comes from).",
    }),
    status: RefundStatusSchema,
    reason: z.string().nullable(),
    livemode: z.boolean(),
    created_at: TimestampSchema,
  })
  .openapi("Refund");

export const RefundListParamsSchema = ListParamsSchema.extend({
  customer: CustomerIdSchema.optional(),
  purchase: PurchaseIdSchema.optional(),
  status: RefundStatusSchema.optional(),
  "created[gte]": TimestampSchema.optional().openapi({ description: "Created at or after (inclusive)." }),
  "created[lt]": TimestampSchema.optional().openapi({ description: "Created before (exclusive)." }),
});

export type RefundCreateParams = z.input<typeof RefundCreateParamsSchema>;
export type Refund = z.infer<typeof RefundSchema>;
export type RefundStatus = z.infer<typeof RefundStatusSchema>;
export type RefundListParams = z.input<typeof RefundListParamsSchema>;
