import { buildSchedule, PlanSchema } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../shared/test/runs";
import {
  type HoldStatus,
  heldAtCapture,
  holdExpiry,
  holdPeriodEnd,
  holdStep,
  holdWakeAt,
} from "../../src/domain/purchases/holds";
import { planParamsArb } from "../arbitraries";

const NUM_RUNS = runs(300, 20_000);
const T0 = Date.parse("2027-01-01T00:00:00.000Z");
const DAY = 86_400_000;
const timeArb = fc.integer({ min: 0, max: 60 * DAY }).map((ms) => new Date(T0 + ms).toISOString());
const STATUSES: HoldStatus[] = [
  "authorising",
  "held",
  "declined",
  "capturing",
  "captured",
  "voiding",
  "voided",
  "lapsed",
  "expired",
];
const holdArb = fc.record({
  status: fc.constantFrom(...STATUSES),
  expires_at: fc.option(timeArb, { nil: null }),
  ends_at: timeArb,
});

describe("the rules of manual captures' holds", () => {
  it("hold what falls due at capture: the first part of pay in n, the price of pay in full, nothing else", () => {
    fc.assert(
      fc.property(planParamsArb, fc.integer({ min: 100, max: 10_000_000 }), (params, amount) => {
        const plan = PlanSchema.parse(params);
        const anchor = new Date(T0);
        const schedule = buildSchedule({ amount, currency: "EUR", plan, anchor });
        const held = heldAtCapture(schedule.installments, anchor.toISOString());
        if (plan.type === "pay_in_full" || plan.type === "pay_in_n") {
          expect(held).toBe(schedule.installments[0]);
          if (plan.type === "pay_in_full") expect(held?.amount).toBe(amount);
        } else {
          expect(held).toBeUndefined();
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("never keep a hold past the processor's limit or the hold period", () => {
    fc.assert(
      fc.property(timeArb, fc.integer({ min: 1, max: 30 }), timeArb, (created, days, processor) => {
        const end = holdPeriodEnd(created, days);
        expect(Date.parse(end) - Date.parse(created)).toBe(days * DAY);
        const expiry = holdExpiry(end, processor);
        expect(expiry <= end && expiry <= processor).toBe(true);
        expect([end, processor]).toContain(expiry);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("wake the alarm only later for a hold that waits, so a run of what is due always ends", () => {
    fc.assert(
      fc.property(holdArb, timeArb, (hold, now) => {
        const step = holdStep(hold, now);
        const wake = holdWakeAt(hold);
        if (step === "wait") expect(wake !== undefined && wake > now).toBe(true);
        // A call committed is sent whatever the time; a settled hold has nothing left to do.
        if (["capturing", "voiding"].includes(hold.status))
          expect(step).toBe(hold.status === "capturing" ? "capture" : "void");
        if (["declined", "captured", "voided", "expired"].includes(hold.status)) expect(step).toBe("done");
        // Once the period is over an uncaptured purchase ends: released if its hold is kept, else expired.
        if (now >= hold.ends_at && hold.status === "held") expect(step).toBe("release");
        if (now >= hold.ends_at && ["authorising", "lapsed"].includes(hold.status)) expect(step).toBe("expire");
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
