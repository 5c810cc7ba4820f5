import { z } from "@hono/zod-openapi";

/**
 * The four plan types of the brief. Defaults are applied by the schema, so the
 * parsed value is always complete and the schedule maths never guesses.
 */
export const PayInFullPlanSchema = z
  .strictObject({
    type: z.literal("pay_in_full"),
  })
  .openapi("PayInFullPlan", { description: "One charge at capture." });

export const PayLaterPlanSchema = z
  .strictObject({
    type: z.literal("pay_later"),
    days: z
      .int()
      .min(1)
      .max(90)
      .default(30)
      .openapi({ description: "Days after capture when the single charge falls due.", example: 30 }),
  })
  .openapi("PayLaterPlan", { description: "One charge `days` after capture." });

export const PayInNPlanSchema = z
  .strictObject({
    type: z.literal("pay_in_n"),
    n: z.int().min(2).max(12).default(4).openapi({ description: "Number of equal parts.", example: 4 }),
    interval_days: z
      .int()
      .min(7)
      .max(31)
      .default(14)
      .openapi({ description: "Days between parts; the first part is charged at capture.", example: 14 }),
  })
  .openapi("PayInNPlan", {
    description: "`n` equal parts, the first at capture. Leftover minor units go to the first part.",
  });

export const FinancingPlanSchema = z
  .strictObject({
    type: z.literal("financing"),
    months: z.int().min(3).max(36).openapi({ description: "Number of monthly payments.", example: 12 }),
    apr_bps: z
      .int()
      .min(0)
      .max(3600)
      .openapi({ description: "Annual percentage rate in basis points (1999 = 19.99%).", example: 1999 }),
  })
  .openapi("FinancingPlan", {
    description:
      "Monthly level payments, P·r/(1−(1+r)^−n) with r = APR/12, due on the capture's day of month " +
      "(clamped to the last day of shorter months). The last payment absorbs rounding.",
  });

export const PlanSchema = z
  .discriminatedUnion("type", [PayInFullPlanSchema, PayLaterPlanSchema, PayInNPlanSchema, FinancingPlanSchema])
  .openapi("Plan");

export type PlanParams = z.input<typeof PlanSchema>;
export type Plan = z.output<typeof PlanSchema>;
export type PlanType = Plan["type"];
/** Every plan type, in the order above (filters and analytics enumerate them). */
export const PLAN_TYPES = ["pay_in_full", "pay_later", "pay_in_n", "financing"] as const satisfies readonly PlanType[];
