import { z } from "@hono/zod-openapi";
import {
  DATE_RE,
  GRANULARITIES,
  isValidTimeZone,
  MAX_PERIODS,
  type PeriodResult,
  parseBound,
  reportPeriods,
  ZONE_NAME_RE,
} from "../reports/periods";
import { TIMESTAMP_RE } from "../reports/segments";
import { CurrencySchema, CustomerIdSchema, PurchaseIdSchema, TimestampSchema } from "./common";

/** What `from`, `to` and `as_of` take, as the document states it: the rules parseBound applies. */
const INSTANT_FORMS = [
  { type: "string" as const, format: "date", pattern: DATE_RE.source },
  { type: "string" as const, format: "date-time", pattern: TIMESTAMP_RE.source },
];

const InstantParam = (description: string, example: string) =>
  z.string().openapi({
    description: `${description} A date \`YYYY-MM-DD\` (its first instant in \`timezone\`), or an RFC 3339 timestamp with seconds and \`Z\` or an offset.`,
    example,
    anyOf: INSTANT_FORMS,
  });

const TimezoneSchema = z
  .string()
  .default("UTC")
  .refine(isValidTimeZone, { error: "must be an IANA time zone name, e.g. Europe/Stockholm" })
  .openapi({
    description:
      "IANA time zone of the period boundaries (local midnights) and of dates given for instants, e.g. `Europe/Stockholm`; names are matched as the time zone database spells them, in any case.",
    example: "Europe/Stockholm",
    pattern: ZONE_NAME_RE.source,
  });

const FormatSchema = z
  .enum(["json", "csv"])
  .optional()
  .openapi({ description: "`csv` answers RFC 4180 text as an attachment; so does `Accept: text/csv`." });

const CurrencyFilter = CurrencySchema.optional().openapi({ description: "Only this currency (ISO 4217)." });

type PeriodFields = { from: string; to: string; timezone: string; granularity?: (typeof GRANULARITIES)[number] };

const computed = new WeakMap<PeriodFields, PeriodResult>();

/**
 * The periods of parsed report params (granularity `total` where there is none): worked out once,
 * when the params are validated, and handed to the route that asks for the same object again.
 */
export function paramPeriods(p: PeriodFields): PeriodResult {
  let result = computed.get(p);
  if (!result) {
    result = reportPeriods({ ...p, granularity: p.granularity ?? "total" });
    computed.set(p, result);
  }
  return result;
}

/** Cross-field rules (order, number of periods) checked once, where the params are parsed. */
function checkPeriods(p: PeriodFields, ctx: z.RefinementCtx) {
  const result = paramPeriods(p);
  if (!result.ok) ctx.addIssue({ code: "custom", path: [result.param], message: result.message });
}

/** Instants given without their partner (a statement's `from` alone, an aging's `as_of`): each on its own. */
function checkInstants(names: readonly string[]) {
  return (p: Record<string, unknown> & { timezone: string }, ctx: z.RefinementCtx) => {
    if (!isValidTimeZone(p.timezone)) return;
    for (const name of names) {
      const value = p[name];
      if (typeof value !== "string") continue;
      const bound = parseBound(name, value, p.timezone);
      if (!bound.ok) ctx.addIssue({ code: "custom", path: [name], message: bound.message });
    }
  };
}

/** The instant of a validated `as_of` (or statement bound) parameter, in `toISOString` form. */
export function paramInstant(value: string, timezone: string): string {
  const bound = parseBound("instant", value, timezone);
  if (!bound.ok) throw new RangeError(bound.message);
  return new Date(bound.instant).toISOString();
}

export const ReportParamsSchema = z
  .object({
    from: InstantParam("Start, inclusive.", "2026-11-01"),
    to: InstantParam("End, exclusive.", "2026-12-01"),
    granularity: z
      .enum(GRANULARITIES)
      .default("day")
      .openapi({
        description: `One row per period and currency; at most ${MAX_PERIODS} periods. Weeks start on Monday.`,
      }),
    currency: CurrencyFilter,
    timezone: TimezoneSchema,
    format: FormatSchema,
  })
  .superRefine(checkPeriods);

export const StatementParamsSchema = z
  .object({
    from: InstantParam("Start, inclusive. Default: the customer's creation.", "2026-11-01").optional(),
    to: InstantParam(
      "End, exclusive. Default: now (on the customer's test clock, once it was advanced).",
      "2026-12-01",
    ).optional(),
    currency: CurrencyFilter,
    timezone: TimezoneSchema,
    format: FormatSchema,
  })
  .superRefine((p, ctx) =>
    p.from !== undefined && p.to !== undefined
      ? checkPeriods(p as PeriodFields, ctx)
      : checkInstants(["from", "to"])(p, ctx),
  );

export const AgingParamsSchema = z
  .object({
    as_of: InstantParam(
      "The instant the book is aged at; default now. A past instant shows the book as it stood then.",
      "2026-11-24T12:00:00Z",
    ).optional(),
    currency: CurrencyFilter,
    timezone: TimezoneSchema,
    format: FormatSchema,
  })
  .superRefine(checkInstants(["as_of"]));

const Minor = (description: string) => z.int().openapi({ description: `${description} Minor units.` });

const PeriodFields = {
  period_start: TimestampSchema.openapi({ description: "Inclusive, UTC." }),
  period_end: TimestampSchema.openapi({ description: "Exclusive, UTC." }),
  period: z
    .string()
    .openapi({ description: "The period's local date (`YYYY-MM-DD`, a Monday for weeks), `YYYY-MM`, or `from/to`." }),
  currency: z.string().openapi({ example: "EUR" }),
};

export const SettlementRowSchema = z
  .object({
    ...PeriodFields,
    receivable_opening: Minor("What customers owed at the period's start."),
    captured: Minor("Price of purchases captured (gross sales)."),
    interest_charged: Minor("Interest agreed on financed purchases captured."),
    late_fees: Minor("Late fees added."),
    extension_fees: Minor("Due-date extension fees added."),
    collected: Minor("Money collected from customers: installments paid and payoffs."),
    refund_reductions: Minor("What refunds took off what customers still owed (price, its interest, fees)."),
    interest_waived: Minor("Interest not owed after all: waived by a payoff, dropped by a write-off."),
    written_off: Minor("Principal and fees written off as bad debt."),
    receivable_closing: Minor("What customers owed at the period's end."),
    interest_earned: Minor("Interest collected."),
    refunded: Minor("Price given back to customers by refunds."),
    cash_returned: Minor("Money paid back to customers through the processor."),
    net_payable: Minor("What the merchant is owed for the period: captured − refunded."),
  })
  .openapi("SettlementRow", {
    description:
      "Every row satisfies receivable_opening + captured + interest_charged + late_fees + extension_fees − collected − " +
      "refund_reductions − interest_waived − written_off = receivable_closing.",
  });

export const CollectionsRowSchema = z
  .object({
    ...PeriodFields,
    due_count: z
      .int()
      .openapi({ description: "Installments falling due in the period (captured, not cancelled or refunded)." }),
    due_amount: Minor("What those installments collect, fees included."),
    collected_on_time_count: z.int(),
    collected_on_time_amount: Minor("Collected with no failed charge first."),
    collected_late_count: z.int(),
    collected_late_amount: Minor("Collected after a failed charge: by a dunning retry, or paid by the customer later."),
    failed_count: z.int(),
    failed_amount: Minor("Failed for good: dunning gave up (failed_final) or written off."),
    outstanding_count: z.int(),
    outstanding_amount: Minor("Still owed and still being collected: not yet charged, or in dunning."),
    in_dunning_count: z.int().openapi({ description: "Of the outstanding: charged and declined, to be retried." }),
    in_dunning_amount: Minor("Of the outstanding: in dunning."),
    collection_rate: z.number().nullable().openapi({
      description:
        "Collected ÷ (collected + failed + in dunning), by amount, 4 decimals; null when nothing was charged yet.",
    }),
    recovery_rate: z.number().nullable().openapi({
      description:
        "Collected late ÷ (collected late + failed + in dunning), by amount: the share of declined money recovered.",
    }),
  })
  .openapi("CollectionsRow");

export const AgingRowSchema = z
  .object({
    currency: z.string().openapi({ example: "EUR" }),
    not_yet_due: Minor("Due on as_of's UTC date or later."),
    days_1_30: Minor("1–30 days past due."),
    days_31_60: Minor("31–60 days past due."),
    days_61_90: Minor("61–90 days past due."),
    days_over_90: Minor("More than 90 days past due."),
    total: Minor("The whole receivable: the sum of the buckets."),
  })
  .openapi("AgingRow");

const reportSchema = <T extends z.ZodType>(type: string, row: T, name: string) =>
  z
    .object({
      object: z.literal("report"),
      type: z.literal(type),
      from: TimestampSchema,
      to: TimestampSchema,
      granularity: z.enum(GRANULARITIES),
      timezone: z.string(),
      currency: z.string().nullable(),
      data: z.array(row),
    })
    .openapi(name);

export const SettlementReportSchema = reportSchema("settlements", SettlementRowSchema, "SettlementReport");
export const CollectionsReportSchema = reportSchema("collections", CollectionsRowSchema, "CollectionsReport");

export const AgingReportSchema = z
  .object({
    object: z.literal("report"),
    type: z.literal("aging"),
    as_of: TimestampSchema,
    currency: z.string().nullable(),
    data: z.array(AgingRowSchema),
  })
  .openapi("AgingReport");

export const StatementLineSchema = z
  .object({
    at: TimestampSchema,
    type: z
      .enum(["capture", "payment", "late_fee", "extension_fee", "refund", "refund_payout", "payoff", "write_off"])
      .openapi({ description: "What happened." }),
    purchase: PurchaseIdSchema,
    currency: z.string(),
    amount: Minor("Change of the customer's balance: positive when they owe more."),
    cash: Minor("Money that moved: positive when collected from the customer, negative when paid back."),
    balance: Minor("The customer's balance in this currency after this line."),
  })
  .openapi("StatementLine");

export const StatementSchema = z
  .object({
    object: z.literal("statement"),
    customer: CustomerIdSchema,
    from: TimestampSchema,
    to: TimestampSchema,
    timezone: z.string(),
    currency: z.string().nullable(),
    balances: z
      .array(z.object({ currency: z.string(), opening: z.int(), closing: z.int() }))
      .openapi({ description: "Per currency: what the customer owed (negative: was owed) at `from` and at `to`." }),
    data: z.array(StatementLineSchema),
  })
  .openapi("Statement");

export type ReportParams = z.input<typeof ReportParamsSchema>;
export type AgingParams = z.input<typeof AgingParamsSchema>;
export type StatementParams = z.input<typeof StatementParamsSchema>;
export type SettlementRow = z.infer<typeof SettlementRowSchema>;
export type CollectionsRow = z.infer<typeof CollectionsRowSchema>;
export type AgingRow = z.infer<typeof AgingRowSchema>;
export type SettlementReport = z.infer<typeof SettlementReportSchema>;
export type CollectionsReport = z.infer<typeof CollectionsReportSchema>;
export type AgingReport = z.infer<typeof AgingReportSchema>;
export type StatementLine = z.infer<typeof StatementLineSchema>;
export type Statement = z.infer<typeof StatementSchema>;
