import { z } from "@hono/zod-openapi";
import {
  AmountSchema,
  CurrencySchema,
  CustomerIdSchema,
  MAX_AMOUNT,
  MetadataSchema,
  PaymentMethodIdSchema,
  PurchaseIdSchema,
  TimestampSchema,
} from "./common";
import { ListParamsSchema } from "./list";
import { PlanSchema } from "./plan";

export const LineItemSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Trail tent, 2 person" }),
    quantity: z.int().min(1).max(10_000).openapi({ example: 1 }),
    unit_amount: z.int().min(0).max(MAX_AMOUNT).openapi({ example: 12000 }),
    reference: z.string().max(100).optional().openapi({ example: "SKU-TENT-2P" }),
  })
  .openapi("LineItem");

export const PurchaseCreateParamsSchema = z
  .strictObject({
    customer: CustomerIdSchema,
    amount: AmountSchema,
    currency: CurrencySchema,
    plan: PlanSchema,
    payment_method: PaymentMethodIdSchema,
    capture: z
      .enum(["automatic", "manual"])
      .default("automatic")
      .openapi({
        description:
          "`manual` authorises what falls due at capture now (a hold on the card, see `authorization`) and starts " +
          "the schedule at capture.",
      }),
    merchant_reference: z.string().max(200).optional().openapi({ example: "order-6735" }),
    line_items: z.array(LineItemSchema).min(1).max(100).optional(),
    metadata: MetadataSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.line_items) return;
    const sum = p.line_items.reduce((s, li) => s + li.quantity * li.unit_amount, 0);
    if (sum !== p.amount) {
      ctx.addIssue({
        code: "custom",
        path: ["line_items"],
        message: `line items add up to ${sum}, but amount is ${p.amount}`,
      });
    }
  })
  .openapi("PurchaseCreateParams");

export const InstallmentStatusSchema = z
  .enum([
    "scheduled",
    "processing",
    "paid",
    "failed",
    "retrying",
    "failed_final",
    "written_off",
    "cancelled",
    "refunded",
  ])
  .openapi("InstallmentStatus");

export const ChargeAttemptSchema = z
  .object({
    type: z.enum(["scheduled", "customer", "capture"]).openapi({
      description:
        "`scheduled`: the charge on the due date or a dunning retry; `customer`: the customer paid it now " +
        "(`POST …/installments/{n}/pay`); `capture`: a manual capture took the money held on the card.",
    }),
    attempted_at: TimestampSchema.openapi({ description: "When the charge was sent to the processor." }),
    amount: z.int().openapi({ description: "What was charged: the installment's amount plus its fees then." }),
    outcome: z.enum(["succeeded", "failed", "pending"]).openapi({
      description: "`pending` while the processor has not answered (a timeout is asked again under the same key).",
    }),
    failure_code: z.string().nullable().openapi({
      description:
        "Why a failed attempt failed: the processor's decline code (e.g. `insufficient_funds`) or error code; null otherwise.",
      example: "insufficient_funds",
    }),
  })
  .openapi("ChargeAttempt");

export const InstallmentSchema = z
  .object({
    number: z.int().openapi({ description: "1-based position in the schedule.", example: 1 }),
    amount: z.int().openapi({ description: "Principal + interest, minor units.", example: 3000 }),
    principal: z.int(),
    interest: z.int(),
    fees: z.int().openapi({ description: "Late and extension fees added to this installment, collected with it." }),
    due_at: TimestampSchema,
    status: InstallmentStatusSchema,
    paid_at: TimestampSchema.nullable().openapi({
      description:
        "When it was paid (by its charge, a capture, the customer or a payoff), at the customer's time; null if never " +
        "paid. Kept once paid, also when a refund later gives the money back.",
    }),
    attempts: z.array(ChargeAttemptSchema).openapi({
      description:
        "The charges made for this installment alone, oldest first. A payoff is one charge for every installment " +
        "it pays and is not listed here; the installments it paid show its time as `paid_at`.",
    }),
  })
  .openapi("Installment");

export const PurchaseStatusSchema = z
  .enum([
    "requires_capture",
    "active",
    "completed",
    "delinquent",
    "written_off",
    "cancelled",
    "refunded",
    "declined",
    "expired",
  ])
  .openapi("PurchaseStatus", {
    description:
      "`declined`: the charge due at checkout (automatic capture), the authorisation of a manual capture, or the " +
      "charge due at a capture made after its hold lapsed was declined, so nothing is owed: every installment is " +
      "`cancelled`, the credit is released and the request answered 402 `payment_declined`. `expired`: a manual " +
      "capture was not captured within the hold period; its hold was released and nothing is owed.",
  });

export const AuthorizationStatusSchema = z.enum(["pending", "held", "captured", "voided", "expired", "declined"]);

export const AuthorizationSchema = z
  .object({
    status: AuthorizationStatusSchema.openapi({
      description:
        "`pending`: being authorised (a processor error is retried until the hold period ends); `held`: the " +
        "amount is reserved on the card; `captured`: taken at capture; `voided`: released by a cancel; " +
        "`expired`: lapsed (a capture then charges the card afresh) or released when the hold period ended; " +
        "`declined`: the card refused it, so the purchase is `declined`.",
    }),
    amount: z.int().openapi({ description: "What is held: what falls due at capture, minor units.", example: 12000 }),
    expires_at: TimestampSchema.nullable().openapi({
      description:
        "When the hold lapses: the hold period (policy `hold_days`, default 7) after creation, or earlier if the " +
        "processor holds for less. Null until authorised.",
    }),
  })
  .openapi("Authorization");

export const PurchaseSchema = z
  .object({
    id: PurchaseIdSchema,
    object: z.literal("purchase"),
    customer: CustomerIdSchema,
    payment_method: PaymentMethodIdSchema,
    status: PurchaseStatusSchema,
    amount: z.int(),
    currency: z.string().openapi({ example: "EUR" }),
    interest_total: z.int().openapi({ description: "Interest over the whole plan (financing only)." }),
    total: z.int().openapi({ description: "amount + interest_total: what the customer pays in all." }),
    amount_outstanding: z.int().openapi({ description: "What the customer still owes." }),
    amount_refunded: z.int().openapi({
      description:
        "The price refunded so far: the sum of the purchase's refunds' `amount`, whether each lowered what was " +
        "still owed or gives money back. At most `amount`.",
    }),
    cash_returned: z.int().openapi({
      description:
        "Of `amount_refunded`, the money actually paid back to the customer's card by the processor so far: the sum " +
        "of the refunds' `cash_returned`. The rest of `amount_refunded` was taken off what was still owed, or is a " +
        "payout still pending or failed.",
    }),
    plan: PlanSchema,
    capture: z.enum(["automatic", "manual"]),
    captured_at: TimestampSchema.nullable(),
    authorization: AuthorizationSchema.nullable().openapi({
      description:
        "The hold a `capture: manual` purchase keeps on the card for what falls due at capture; null when " +
        "nothing is held (automatic capture, or nothing falls due at capture: pay later, financing).",
    }),
    installments: z.array(InstallmentSchema).openapi({
      description: "The full schedule. Before a manual capture the due dates are provisional, counted from creation.",
    }),
    merchant_reference: z.string().nullable(),
    line_items: z.array(LineItemSchema),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created_at: TimestampSchema,
  })
  .openapi("Purchase");

export const PurchaseListParamsSchema = ListParamsSchema.extend({
  customer: CustomerIdSchema.optional(),
  status: PurchaseStatusSchema.optional(),
  "created[gte]": TimestampSchema.optional().openapi({ description: "Created at or after (inclusive)." }),
  "created[lt]": TimestampSchema.optional().openapi({ description: "Created before (exclusive)." }),
});

/** The bounds are the widest any policy may allow; the collections policy in force narrows them. */
export const ExtendInstallmentParamsSchema = z
  .strictObject({
    days: z
      .int()
      .min(1)
      .max(60)
      .openapi({ description: "Days to move the due date by (default policy: 1–14).", example: 7 }),
  })
  .openapi("ExtendInstallmentParams");

export type PurchaseCreateParams = z.input<typeof PurchaseCreateParamsSchema>;
export type PurchaseCreateInput = z.output<typeof PurchaseCreateParamsSchema>;
export type LineItem = z.infer<typeof LineItemSchema>;
export type Installment = z.infer<typeof InstallmentSchema>;
export type ChargeAttempt = z.infer<typeof ChargeAttemptSchema>;
export type InstallmentStatus = z.infer<typeof InstallmentStatusSchema>;
export type PurchaseStatus = z.infer<typeof PurchaseStatusSchema>;
export type Purchase = z.infer<typeof PurchaseSchema>;
export type Authorization = z.infer<typeof AuthorizationSchema>;
export type PurchaseListParams = z.input<typeof PurchaseListParamsSchema>;
export type ExtendInstallmentParams = z.input<typeof ExtendInstallmentParamsSchema>;
