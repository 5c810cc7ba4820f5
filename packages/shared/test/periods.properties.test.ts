// reportPeriods' properties over random zones, granularities and ranges (examples: periods.test.ts).
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type Granularity, MAX_PERIODS, type Period, reportPeriods } from "../src/reports";
import { bucketIndex, bucketOf, instantArb, oracleDate, periodsOf, UNIT_MS, ZONES } from "./period-kit";

describe("reportPeriods: properties", () => {
  it("tiles [from, to) with periods that each lie in one local bucket and start on its first instant", () => {
    const paramsArb = fc
      .record({
        zone: fc.constantFrom(...ZONES),
        granularity: fc.constantFrom<Granularity>("day", "week", "month", "total"),
        from: instantArb("2000-01-01T00:00:00Z", "2100-12-31T23:59:59Z"),
        fromAsDate: fc.boolean(),
        toAsDate: fc.boolean(),
        length: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 430, noNaN: true })),
      })
      .map(({ zone, granularity, from, fromAsDate, toAsDate, length }) => {
        const to = from + Math.floor(length * UNIT_MS[granularity]);
        const asParam = (ms: number, asDate: boolean) =>
          asDate ? oracleDate(ms, zone) : new Date(ms).toISOString().replace("Z", "+00:00");
        return { from: asParam(from, fromAsDate), to: asParam(to, toAsDate), granularity, timezone: zone };
      });

    fc.assert(
      fc.property(paramsArb, (params) => {
        const result = reportPeriods(params);
        const { granularity, timezone: zone } = params;
        if (!result.ok) {
          expect(result.param).toBe("to");
          if (/must be after from/.test(result.message)) return;
          expect(granularity).not.toBe("total");
          if (granularity === "total") return;
          // Refused only when the local calendar really holds more buckets than allowed.
          const periods = periodsOf({ ...params, granularity: "total" });
          const [{ start, end }] = periods as [Period];
          const count =
            bucketIndex(bucketOf(oracleDate(Date.parse(end) - 1, zone), granularity), granularity) -
            bucketIndex(bucketOf(oracleDate(Date.parse(start), zone), granularity), granularity) +
            1;
          expect(count).toBeGreaterThan(MAX_PERIODS);
          expect(result.message).toContain(`makes ${count} periods`);
          return;
        }
        const { periods } = result;
        expect(periods.length).toBeGreaterThan(0);
        expect(periods.length).toBeLessThanOrEqual(MAX_PERIODS);
        for (const [name, value, instant] of [
          ["from", params.from, periods[0]?.start],
          ["to", params.to, periods.at(-1)?.end],
        ] as const) {
          const ms = Date.parse(instant ?? "");
          if (value.length === 10) {
            expect(oracleDate(ms, zone), name).toBe(value);
            expect(oracleDate(ms - 1, zone), name).not.toBe(value);
          } else expect(ms, name).toBe(Date.parse(value));
        }
        for (const [i, period] of periods.entries()) {
          const [start, end] = [Date.parse(period.start), Date.parse(period.end)];
          expect(start).toBeLessThan(end);
          if (i > 0) expect(period.start).toBe(periods[i - 1]?.end);
          if (granularity === "total") continue;
          expect(bucketOf(oracleDate(start, zone), granularity)).toBe(period.label);
          expect(bucketOf(oracleDate(end - 1, zone), granularity)).toBe(period.label);
          if (i > 0) expect(bucketOf(oracleDate(start - 1, zone), granularity)).not.toBe(period.label);
        }
      }),
    );
  });

  describe("does not depend on the host's time zone", () => {
    const hostZone = process.env.TZ;
    afterEach(() => {
      if (hostZone === undefined) delete process.env.TZ;
      else process.env.TZ = hostZone;
    });

    it.each(["Asia/Kolkata", "America/Santiago", "Pacific/Apia", "Europe/Stockholm"])("host TZ=%s", (host) => {
      const reference = ZONES.map((timezone) =>
        periodsOf({ from: "2022-03-20", to: "2022-11-10", granularity: "week", timezone }),
      );
      process.env.TZ = host;
      // Proves the host zone really changed under Date, which @date-fns/tz's setters consult.
      expect(new Date(Date.UTC(2022, 5, 1)).getTimezoneOffset()).not.toBe(0);
      for (const [i, timezone] of ZONES.entries())
        expect(periodsOf({ from: "2022-03-20", to: "2022-11-10", granularity: "week", timezone })).toEqual(
          reference[i],
        );
    });
  });
});
