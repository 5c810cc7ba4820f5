import { z } from "@hono/zod-openapi";
import { CustomerIdSchema, TimestampSchema } from "./common";

export const AdvanceClockParamsSchema = z
  .strictObject({
    to: TimestampSchema.openapi({ description: "The instant to move the customer's clock to; never backwards." }),
  })
  .openapi("AdvanceClockParams");

export const ClockActionSchema = z
  .object({
    at: TimestampSchema,
    type: z.enum(["charge", "reminder", "late_fee", "payment", "hold"]).openapi({
      description:
        "`payment`: a pay-now, payoff or refund payout the processor is asked (again) to make. `hold`: a manual " +
        "capture's authorisation, its capture or release (sent, or sent again), its lapse, or its purchase's expiry.",
    }),
    purchase: z.string(),
    installment: z.int().nullable().openapi({ description: "Null for a payoff." }),
    outcome: z.string().openapi({ example: "paid" }),
  })
  .openapi("ClockAction");

export const TestClockSchema = z
  .object({
    object: z.literal("test_clock"),
    customer: CustomerIdSchema,
    frozen_time: TimestampSchema,
    ran: z.array(ClockActionSchema).openapi({ description: "Every action that ran, in order." }),
  })
  .openapi("TestClock");

export type AdvanceClockParams = z.input<typeof AdvanceClockParamsSchema>;
export type TestClock = z.infer<typeof TestClockSchema>;
