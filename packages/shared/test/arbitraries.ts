import fc from "fast-check";
import { SUPPORTED_CURRENCIES } from "../src/money";
import { type Plan, PlanSchema } from "../src/schemas/plan";

/** Bounds are taken at both ends on purpose: the extreme plans are where rounding bites. */
const rangeWithBounds = (min: number, max: number) => fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));

/** Every valid plan shape; parsed through PlanSchema so the generator cannot drift from the schema. */
export const planArb: fc.Arbitrary<Plan> = fc
  .oneof(
    fc.constant({ type: "pay_in_full" as const }),
    fc.record({ type: fc.constant("pay_later" as const), days: rangeWithBounds(1, 90) }),
    fc.record({
      type: fc.constant("pay_in_n" as const),
      n: rangeWithBounds(2, 12),
      interval_days: rangeWithBounds(7, 31),
    }),
    fc.record({
      type: fc.constant("financing" as const),
      months: rangeWithBounds(3, 36),
      apr_bps: rangeWithBounds(0, 3600),
    }),
  )
  .map((plan) => PlanSchema.parse(plan));

export const currencyArb = fc.constantFrom(...SUPPORTED_CURRENCIES);

export const anchorArb = fc.date({
  min: new Date("2000-01-01T00:00:00.000Z"),
  max: new Date("2100-12-31T23:59:59.999Z"),
  noInvalidDate: true,
});

/** Amounts from `min` to 1e11 minor units, with tiny amounts (the rounding edge) well represented. */
export const amountArb = (min: number) =>
  fc.oneof(fc.integer({ min, max: min + 2_000 }), fc.integer({ min, max: 100_000_000_000 }));
