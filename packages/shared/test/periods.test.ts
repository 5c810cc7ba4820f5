import { describe, expect, it } from "vitest";
import {
  type Granularity,
  isValidTimeZone,
  localDate,
  MAX_PERIODS,
  type PeriodParams,
  reportPeriods,
} from "../src/reports";
import { day, hours, periodsOf } from "./period-kit";

describe("isValidTimeZone", () => {
  it.each(["UTC", "Etc/UTC", "Europe/Stockholm", "Asia/Kolkata", "Asia/Calcutta", "America/Argentina/Buenos_Aires"])(
    "accepts %s",
    (zone) => expect(isValidTimeZone(zone)).toBe(true),
  );
  it.each(["", "Mars/Olympus", "+05:30", "UTC+1", "Europe/", "Local", " UTC"])("rejects %j", (zone) =>
    expect(isValidTimeZone(zone)).toBe(false),
  );
});

describe("localDate", () => {
  it("is the date on the wall clock of the zone", () => {
    expect(localDate("2026-03-29T22:30:00.000Z", "Europe/Stockholm")).toBe("2026-03-30");
    expect(localDate(new Date("2026-03-29T22:30:00.000Z"), "UTC")).toBe("2026-03-29");
    expect(localDate("2026-01-01T00:00:00-10:00", "Pacific/Kiritimati")).toBe("2026-01-02");
  });
  it("throws on a bad zone or instant", () => {
    expect(() => localDate("2026-01-01T00:00:00Z", "Nowhere/Land")).toThrow(RangeError);
    expect(() => localDate("2026-01-01T00:00:00", "UTC")).toThrow(RangeError);
    expect(() => localDate(new Date(Number.NaN), "UTC")).toThrow(RangeError);
  });
});

describe("reportPeriods: boundaries are local midnights", () => {
  it("Stockholm: 23-hour spring day, 25-hour autumn day, March from the last hour of February UTC", () => {
    expect(day("2026-03-29", "Europe/Stockholm")).toEqual({
      start: "2026-03-28T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      label: "2026-03-29",
    });
    expect(day("2026-10-25", "Europe/Stockholm")).toEqual({
      start: "2026-10-24T22:00:00.000Z",
      end: "2026-10-25T23:00:00.000Z",
      label: "2026-10-25",
    });
    expect(
      periodsOf({ from: "2026-03-01", to: "2026-04-01", granularity: "month", timezone: "Europe/Stockholm" }),
    ).toEqual([{ start: "2026-02-28T23:00:00.000Z", end: "2026-03-31T22:00:00.000Z", label: "2026-03" }]);
  });

  it("Sydney: the southern hemisphere's spring day is in October and its 25-hour day in April", () => {
    expect(day("2026-10-04", "Australia/Sydney")).toMatchObject({ start: "2026-10-03T14:00:00.000Z" });
    expect(hours(day("2026-10-04", "Australia/Sydney"))).toBe(23);
    expect(day("2026-04-05", "Australia/Sydney")).toMatchObject({
      start: "2026-04-04T13:00:00.000Z",
      end: "2026-04-05T14:00:00.000Z",
    });
  });

  it("Kathmandu (+05:45) and Kolkata (+05:30) start their days off the hour", () => {
    expect(day("2026-01-10", "Asia/Kathmandu").start).toBe("2026-01-09T18:15:00.000Z");
    expect(day("2026-01-10", "Asia/Kolkata").start).toBe("2026-01-09T18:30:00.000Z");
  });

  it("starts a day at 01:00 where DST skips midnight, and lets it run 25 hours where midnight falls back", () => {
    // Santiago 2022-09-11: 00:00 -04 became 01:00 -03.
    expect(day("2022-09-11", "America/Santiago")).toMatchObject({ start: "2022-09-11T04:00:00.000Z" });
    expect(hours(day("2022-09-10", "America/Santiago"))).toBe(24);
    expect(hours(day("2022-09-11", "America/Santiago"))).toBe(23);
    // São Paulo 2019-02-17: 00:00 -02 became 23:00 -03 on the 16th.
    expect(hours(day("2019-02-16", "America/Sao_Paulo"))).toBe(25);
  });

  it("drops a day the zone never had: Samoa skipped 2011-12-30", () => {
    const days = periodsOf({ from: "2011-12-29", to: "2012-01-01", granularity: "day", timezone: "Pacific/Apia" });
    expect(days.map((p) => p.label)).toEqual(["2011-12-29", "2011-12-31"]);
    expect(days.map(hours)).toEqual([24, 24]);
  });

  it("is exact for historical offsets with seconds, where TZDate's own setters round or flip them", () => {
    // Monrovia kept -00:44:30 until 1972; Stockholm's LMT in ICU is Berlin's +00:53:28.
    expect(day("1960-06-01", "Africa/Monrovia").start).toBe("1960-06-01T00:44:30.000Z");
    expect(
      periodsOf({ from: "0001-01-01", to: "9999-12-31", granularity: "total", timezone: "Europe/Stockholm" }),
    ).toEqual([{ start: "0000-12-31T23:06:32.000Z", end: "9999-12-30T23:00:00.000Z", label: "0001-01-01/9999-12-31" }]);
  });
});

describe("reportPeriods: partial periods and labels", () => {
  it("labels partial weeks by their Monday", () => {
    const weeks = periodsOf({
      from: "2026-03-04",
      to: "2026-03-20",
      granularity: "week",
      timezone: "Europe/Stockholm",
    });
    expect(weeks).toEqual([
      { start: "2026-03-03T23:00:00.000Z", end: "2026-03-08T23:00:00.000Z", label: "2026-03-02" },
      { start: "2026-03-08T23:00:00.000Z", end: "2026-03-15T23:00:00.000Z", label: "2026-03-09" },
      { start: "2026-03-15T23:00:00.000Z", end: "2026-03-19T23:00:00.000Z", label: "2026-03-16" },
    ]);
  });

  it("starts and ends at exact instants, in any offset notation", () => {
    const days = periodsOf({
      from: "2026-03-29T10:00:00Z",
      to: "2026-03-31T01:30:00.000+02:00",
      granularity: "day",
      timezone: "Europe/Stockholm",
    });
    expect(days).toEqual([
      { start: "2026-03-29T10:00:00.000Z", end: "2026-03-29T22:00:00.000Z", label: "2026-03-29" },
      { start: "2026-03-29T22:00:00.000Z", end: "2026-03-30T22:00:00.000Z", label: "2026-03-30" },
      { start: "2026-03-30T22:00:00.000Z", end: "2026-03-30T23:30:00.000Z", label: "2026-03-31" },
    ]);
  });

  it("rounds sub-millisecond fractions up, which keeps >= from and < to exact for millisecond rows", () => {
    const [period] = periodsOf({
      from: "2026-01-01T00:00:00.1290001Z",
      to: "2026-01-01T00:00:01.129Z",
      granularity: "total",
      timezone: "UTC",
    });
    expect(period).toEqual({
      start: "2026-01-01T00:00:00.130Z",
      end: "2026-01-01T00:00:01.129Z",
      label: "2026-01-01/2026-01-01",
    });
  });

  it("labels total by the local dates of from and to", () => {
    expect(
      periodsOf({ from: "2026-01-01T00:00:00Z", to: "2026-02-01", granularity: "total", timezone: "America/New_York" }),
    ).toEqual([{ start: "2026-01-01T00:00:00.000Z", end: "2026-02-01T05:00:00.000Z", label: "2025-12-31/2026-02-01" }]);
  });
});

describe("reportPeriods: errors name the parameter", () => {
  const base: PeriodParams = { from: "2026-01-01", to: "2026-02-01", granularity: "day", timezone: "Europe/Stockholm" };
  it.each<[Partial<PeriodParams>, string, RegExp]>([
    [{ timezone: "Mars/Olympus" }, "timezone", /Mars\/Olympus/],
    [{ timezone: "+01:00" }, "timezone", /IANA/],
    [{ granularity: "year" as Granularity }, "granularity", /day, week, month, total/],
    [{ from: "2026-02-30" }, "from", /not a calendar date/],
    [{ from: "2026-13-01" }, "from", /not a calendar date/],
    [{ from: "yesterday" }, "from", /YYYY-MM-DD/],
    [{ from: "2026-01-01T00:00:00" }, "from", /offset/],
    [{ from: "2026-01-01T24:00:00Z" }, "from", /offset/],
    [{ to: "2026-01-01T00:00:00+25:00" }, "to", /offset/],
    [{ to: "9999-12-31T23:59:59-12:00" }, "to", /0000–9999/],
    [{ to: "2026-01-01" }, "to", /must be after from/],
    [{ to: "2025-12-31T23:00:00Z" }, "to", /must be after from/],
  ])("%j → %s", (override, param, message) => {
    const result = reportPeriods({ ...base, ...override });
    expect(result).toMatchObject({ ok: false, param });
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it(`allows ${MAX_PERIODS} periods and refuses one more, saying how many and what to do`, () => {
    const params = { from: "2026-01-01", granularity: "day", timezone: "Europe/Stockholm" } as const;
    expect(periodsOf({ ...params, to: "2027-02-05" })).toHaveLength(MAX_PERIODS);
    const result = reportPeriods({ ...params, to: "2027-02-06" });
    expect(result).toMatchObject({ ok: false, param: "to" });
    if (!result.ok)
      expect(result.message).toMatch(/makes 401 periods; at most 400 .*coarser granularity \(week, month or total\)/);
  });

  it("counts ten thousand years of days without walking them", () => {
    const started = performance.now();
    const byDay = reportPeriods({
      from: "0001-01-01",
      to: "9999-12-31",
      granularity: "day",
      timezone: "Europe/Stockholm",
    });
    const byMonth = reportPeriods({ from: "0001-01-01", to: "9999-12-31", granularity: "month", timezone: "UTC" });
    expect(performance.now() - started).toBeLessThan(250);
    expect(byDay).toMatchObject({ ok: false, param: "to", message: expect.stringContaining("3652058 periods") });
    expect(byMonth).toMatchObject({ ok: false, param: "to", message: expect.stringContaining("119988 periods") });
  });
});
