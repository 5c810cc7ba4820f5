import { z } from "@hono/zod-openapi";
import { CurrencySchema, TimestampSchema } from "./common";
import { PLAN_TYPES } from "./plan";

/** Said on every analytics answer, since it decides what they may be used for. */
export const ANALYTICS_ARE_APPROXIMATE =
  "Analytics are approximate: Analytics Engine samples data points at high volume, and counts, sums and " +
  "percentiles are estimated from the sample (weighted by each point's sample interval). For figures exact to " +
  "the minor unit, use the money reports (`/v1/reports/*`), which come from the ledger.";

export const MONEY_EVENTS = [
  "charge.attempted",
  "charge.succeeded",
  "charge.declined",
  "refund",
  "late_fee",
  "capture",
  "write_off",
] as const;
export const MoneyEventSchema = z.enum(MONEY_EVENTS).openapi("MoneyEvent");

export const ANALYTICS_DEFAULT_DAYS = 7;
/** Analytics Engine keeps three months of data. */
export const ANALYTICS_MAX_DAYS = 90;
/** Hourly buckets over a longer range would be thousands of rows per event. */
export const ANALYTICS_MAX_HOURLY_DAYS = 31;
const DAY_MS = 86_400_000;

/** The window a query covers: `to` defaults to now, `from` to seven days before `to`. */
export function analyticsWindow(params: { from?: string | undefined; to?: string | undefined }, now = new Date()) {
  const to = params.to ? new Date(params.to) : now;
  const from = params.from ? new Date(params.from) : new Date(to.getTime() - ANALYTICS_DEFAULT_DAYS * DAY_MS);
  return { from, to };
}

const windowFields = {
  from: TimestampSchema.optional().openapi({
    description: "Start of the window, inclusive. Default: 7 days before `to`.",
  }),
  to: TimestampSchema.optional().openapi({ description: "End of the window, exclusive. Default: now." }),
};

/** Checks the window the parameters make, naming the parameter at fault. */
function checkWindow(
  p: { from?: string | undefined; to?: string | undefined; granularity?: string },
  ctx: z.RefinementCtx,
) {
  const { from, to } = analyticsWindow(p);
  const at = p.from ? "from" : "to";
  if (from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: "custom", path: [at], message: "must be before `to` (default: now)" });
    return;
  }
  const maxDays = p.granularity === "hour" ? ANALYTICS_MAX_HOURLY_DAYS : ANALYTICS_MAX_DAYS;
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
    const what = p.granularity === "hour" ? "with hourly granularity the window" : "the window";
    ctx.addIssue({ code: "custom", path: [at], message: `${what} spans at most ${maxDays} days` });
  }
}

export const PaymentAnalyticsParamsSchema = z
  .object({
    ...windowFields,
    granularity: z
      .enum(["hour", "day"])
      .default("day")
      .openapi({ description: "Width of the time buckets of `series` (UTC). Hourly windows span at most 31 days." }),
    currency: CurrencySchema.optional().openapi({ description: "Only events in this currency." }),
    plan_type: z.enum(PLAN_TYPES).optional().openapi({ description: "Only events of purchases on this plan type." }),
  })
  .superRefine(checkWindow);

export const RequestAnalyticsParamsSchema = z.object(windowFields).superRefine(checkWindow);

const rate = (description: string) => z.number().min(0).max(1).nullable().openapi({ description });

export const PaymentAnalyticsPointSchema = z
  .object({
    start: TimestampSchema.openapi({ description: "Start of the time bucket (UTC)." }),
    event: MoneyEventSchema,
    currency: z.string().openapi({ example: "EUR" }),
    count: z.int().openapi({ description: "Number of events (estimated)." }),
    amount: z.int().openapi({ description: "Their value in minor units of `currency` (estimated)." }),
  })
  .openapi("PaymentAnalyticsPoint");

const chargeCounts = {
  attempted: z.int().openapi({ description: "Charges sent to the processor (each retry is an attempt)." }),
  succeeded: z.int(),
  declined: z.int().openapi({ description: "Declined, or failed at the processor (`processor_error`, `timeout`)." }),
  success_rate: rate("succeeded / attempted; null without attempts."),
  decline_rate: rate("declined / attempted; null without attempts."),
};

export const ChargeAnalyticsByPlanSchema = z
  .object({ plan_type: z.enum(PLAN_TYPES), ...chargeCounts })
  .openapi("ChargeAnalyticsByPlan");

export const DeclineAnalyticsSchema = z
  .object({
    decline_code: z.string().openapi({ example: "insufficient_funds" }),
    declined: z.int(),
    rate: rate("Share of all attempted charges declined with this code; null without attempts."),
  })
  .openapi("DeclineAnalytics");

export const PaymentAnalyticsSchema = z
  .object({
    object: z.literal("payment_analytics"),
    livemode: z.boolean(),
    from: TimestampSchema,
    to: TimestampSchema,
    granularity: z.enum(["hour", "day"]),
    currency: z.string().nullable().openapi({ description: "The currency filter, if any." }),
    plan_type: z.enum(PLAN_TYPES).nullable().openapi({ description: "The plan type filter, if any." }),
    series: z.array(PaymentAnalyticsPointSchema).openapi({
      description:
        "Volume (count) and value (amount) of each money event per bucket and currency. Empty buckets are left out.",
    }),
    charges: z.object({
      ...chargeCounts,
      by_plan_type: z.array(ChargeAnalyticsByPlanSchema),
      by_decline_code: z.array(DeclineAnalyticsSchema),
    }),
  })
  .openapi("PaymentAnalytics", { description: ANALYTICS_ARE_APPROXIMATE });

export const RouteAnalyticsSchema = z
  .object({
    method: z.string().openapi({ example: "POST" }),
    route: z.string().openapi({ example: "/v1/purchases" }),
    requests: z.int(),
    server_errors: z.int().openapi({ description: "Requests answered 5xx." }),
    client_errors: z.int().openapi({ description: "Requests answered 4xx." }),
    error_rate: z.number().min(0).max(1).openapi({ description: "server_errors / requests." }),
    client_error_rate: z.number().min(0).max(1).openapi({ description: "client_errors / requests." }),
    latency_ms: z
      .object({ p50: z.number(), p95: z.number(), p99: z.number() })
      .openapi({ description: "Time to the response, from the Worker's point of view." }),
  })
  .openapi("RouteAnalytics");

export const RequestAnalyticsSchema = z
  .object({
    object: z.literal("request_analytics"),
    livemode: z.boolean(),
    from: TimestampSchema,
    to: TimestampSchema,
    routes: z.array(RouteAnalyticsSchema),
  })
  .openapi("RequestAnalytics", { description: ANALYTICS_ARE_APPROXIMATE });

export type MoneyEvent = z.infer<typeof MoneyEventSchema>;
export type PaymentAnalyticsParams = z.input<typeof PaymentAnalyticsParamsSchema>;
export type PaymentAnalyticsPoint = z.infer<typeof PaymentAnalyticsPointSchema>;
export type ChargeAnalyticsByPlan = z.infer<typeof ChargeAnalyticsByPlanSchema>;
export type DeclineAnalytics = z.infer<typeof DeclineAnalyticsSchema>;
export type PaymentAnalytics = z.infer<typeof PaymentAnalyticsSchema>;
export type RequestAnalyticsParams = z.input<typeof RequestAnalyticsParamsSchema>;
export type RouteAnalytics = z.infer<typeof RouteAnalyticsSchema>;
export type RequestAnalytics = z.infer<typeof RequestAnalyticsSchema>;
