import { z } from "@hono/zod-openapi";
import { CustomerIdSchema, PaymentMethodIdSchema, TimestampSchema } from "./common";

/**
 * Test tokens of the simulated processor. Each one decides how charges and refunds on
 * the payment method behave, deterministically, so every dunning and payout path can be tested.
 */
export const TEST_PAYMENT_TOKENS = {
  tok_visa: "Every charge succeeds.",
  tok_mastercard: "Every charge succeeds.",
  tok_insufficient_funds: "Soft decline (insufficient funds): retried on the dunning schedule.",
  tok_hard_decline: "Hard decline (card reported stolen): never retried.",
  tok_processor_error: "The processor answers with an error: retried.",
  tok_timeout: "The processor times out: retried.",
  tok_refund_fails: "Charges succeed; every refund payout to the card is refused by its issuer, finally.",
  tok_hold_expires_early: "Charges and authorisations succeed; a hold lapses after one day instead of seven.",
  tok_hold_then_decline:
    "The first charge or authorisation succeeds; every later one is declined softly (insufficient funds).",
} as const;

/** `tok_succeed_after_N`: the first N charges fail softly, then every charge succeeds. */
export const SUCCEED_AFTER_TOKEN = /^tok_succeed_after_([1-9])$/;

/** `tok_refund_succeed_after_N`: charges succeed; the first N refund payouts fail (retryable), then they succeed. */
export const REFUND_SUCCEED_AFTER_TOKEN = /^tok_refund_succeed_after_([1-9])$/;

export const PaymentMethodCreateParamsSchema = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .max(100)
      .openapi({
        description: `A processor token. Test mode: one of ${Object.keys(TEST_PAYMENT_TOKENS).join(", ")}, tok_succeed_after_N or tok_refund_succeed_after_N (N = 1–9).`,
        example: "tok_visa",
      }),
  })
  .openapi("PaymentMethodCreateParams");

export const PaymentMethodSchema = z
  .object({
    id: PaymentMethodIdSchema,
    object: z.literal("payment_method"),
    customer: CustomerIdSchema,
    type: z.literal("card"),
    card: z.object({
      brand: z.string().openapi({ example: "visa" }),
      last4: z.string().openapi({ example: "4242" }),
    }),
    livemode: z.boolean(),
    created_at: TimestampSchema,
  })
  .openapi("PaymentMethod");

export type PaymentMethodCreateParams = z.input<typeof PaymentMethodCreateParamsSchema>;
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;
