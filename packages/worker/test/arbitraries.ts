import type { PlanParams } from "@tranche/shared";
import fc from "fast-check";

/** Any plan a merchant may send, across every type's full range of options. */
export const planParamsArb: fc.Arbitrary<PlanParams> = fc.oneof(
  fc.constant({ type: "pay_in_full" as const }),
  fc.record({ type: fc.constant("pay_later" as const), days: fc.integer({ min: 1, max: 90 }) }),
  fc.record({
    type: fc.constant("pay_in_n" as const),
    n: fc.integer({ min: 2, max: 12 }),
    interval_days: fc.integer({ min: 7, max: 31 }),
  }),
  fc.record({
    type: fc.constant("financing" as const),
    months: fc.integer({ min: 3, max: 36 }),
    apr_bps: fc.integer({ min: 0, max: 3600 }),
  }),
);

/** Short plans of every type, so a few test-clock advances play one out (collections and reports suites). */
export const shortPlanArb = fc.oneof(
  fc.constant({ type: "pay_in_full" }),
  fc.constant({ type: "pay_later", days: 30 }),
  fc.record({ type: fc.constant("pay_in_n"), n: fc.integer({ min: 2, max: 6 }), interval_days: fc.constant(14) }),
  fc.record({
    type: fc.constant("financing"),
    months: fc.integer({ min: 3, max: 6 }),
    apr_bps: fc.integer({ min: 0, max: 3600 }),
  }),
);
