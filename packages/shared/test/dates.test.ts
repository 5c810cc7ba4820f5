import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDaysUtc, addMonthsClampedUtc, daysInMonthUtc } from "../src/money";
import { anchorArb } from "./arbitraries";

const iso = (d: Date) => d.toISOString();
const timeOfDay = (d: Date) => d.getTime() - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
/** Reference month length from the engine's own calendar: day 0 of the next month. */
const engineDaysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

describe("addMonthsClampedUtc", () => {
  const endOfJanuary = new Date("2026-01-31T09:30:00.000Z");

  it("clamps to short months and recovers from the anchor, not the previous date", () => {
    expect([1, 2, 3, 4, 12].map((m) => iso(addMonthsClampedUtc(endOfJanuary, m)))).toEqual([
      "2026-02-28T09:30:00.000Z",
      "2026-03-31T09:30:00.000Z",
      "2026-04-30T09:30:00.000Z",
      "2026-05-31T09:30:00.000Z",
      "2027-01-31T09:30:00.000Z",
    ]);
  });

  it("handles leap years", () => {
    expect(iso(addMonthsClampedUtc(new Date("2028-01-31T00:00:00.000Z"), 1))).toBe("2028-02-29T00:00:00.000Z");
    const leapDay = new Date("2028-02-29T23:59:59.999Z");
    expect(iso(addMonthsClampedUtc(leapDay, 12))).toBe("2029-02-28T23:59:59.999Z");
    expect(iso(addMonthsClampedUtc(leapDay, 48))).toBe("2032-02-29T23:59:59.999Z");
    expect(iso(addMonthsClampedUtc(new Date("2099-12-29T12:00:00.000Z"), 2))).toBe("2100-02-28T12:00:00.000Z");
  });

  it("lands on min(anchor day, days in month), the right month, and the anchor's time of day", () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: 1, max: 36 }), (anchor, months) => {
        const due = addMonthsClampedUtc(anchor, months);
        const monthIndex = anchor.getUTCMonth() + months;
        const year = anchor.getUTCFullYear() + Math.floor(monthIndex / 12);
        const month = monthIndex % 12;
        expect(due.getUTCFullYear()).toBe(year);
        expect(due.getUTCMonth()).toBe(month);
        expect(due.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), engineDaysInMonth(year, month)));
        expect(timeOfDay(due)).toBe(timeOfDay(anchor));
      }),
      { numRuns: 1000 },
    );
  });

  it("is strictly increasing in the offset", () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: 0, max: 35 }), (anchor, months) => {
        expect(addMonthsClampedUtc(anchor, months + 1).getTime()).toBeGreaterThan(
          addMonthsClampedUtc(anchor, months).getTime(),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe("daysInMonthUtc", () => {
  it("matches the engine's calendar", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1600, max: 2500 }), fc.integer({ min: 0, max: 11 }), (year, month) => {
        expect(daysInMonthUtc(year, month)).toBe(engineDaysInMonth(year, month));
      }),
      { numRuns: 500 },
    );
    expect(() => daysInMonthUtc(2026, 12)).toThrow(RangeError);
  });
});

describe("addDaysUtc", () => {
  it("adds whole UTC days", () => {
    expect(iso(addDaysUtc(new Date("2026-01-31T10:00:00.000Z"), 30))).toBe("2026-03-02T10:00:00.000Z");
    // A DST change in Europe (29 March 2026) must not move a UTC due date.
    expect(iso(addDaysUtc(new Date("2026-03-28T23:30:00.000Z"), 1))).toBe("2026-03-29T23:30:00.000Z");
    expect(() => addDaysUtc(new Date(), 1.5)).toThrow(RangeError);
  });

  it("moves by exactly days × 86 400 000 ms, keeping the time of day", () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: 0, max: 400 }), (anchor, days) => {
        const due = addDaysUtc(anchor, days);
        expect(due.getTime() - anchor.getTime()).toBe(days * 86_400_000);
        expect(timeOfDay(due)).toBe(timeOfDay(anchor));
      }),
      { numRuns: 500 },
    );
  });
});
