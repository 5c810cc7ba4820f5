import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  bucketKey,
  type Granularity,
  isValidTimeZone,
  localDate,
  MAX_PERIODS,
  type Period,
  type PeriodParams,
  type RollupGrain,
  reportPeriods,
  type Segment,
  segments,
} from "../src/reports";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const QUARTER = HOUR / 4;

/** Local dates straight from Intl (en-CA prints YYYY-MM-DD), as a reference independent of the engine's own path. */
const oracles = new Map<string, Intl.DateTimeFormat>();
function oracleDate(ms: number, zone: string): string {
  let format = oracles.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    oracles.set(zone, format);
  }
  return format.format(ms);
}

const dayIndex = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
/** Monday of the week holding `date`; 1970-01-05 was a Monday. */
const monday = (date: string) => {
  const index = dayIndex(date);
  return new Date((index - ((((index - 4) % 7) + 7) % 7)) * DAY).toISOString().slice(0, 10);
};
const bucketOf = (date: string, granularity: Exclude<Granularity, "total">) =>
  granularity === "day" ? date : granularity === "week" ? monday(date) : date.slice(0, 7);
const bucketIndex = (bucket: string, granularity: Exclude<Granularity, "total">) =>
  granularity === "day"
    ? dayIndex(bucket)
    : granularity === "week"
      ? Math.round((dayIndex(bucket) - 4) / 7)
      : Number(bucket.slice(0, 4)) * 12 + Number(bucket.slice(5, 7));

function periodsOf(params: PeriodParams): Period[] {
  const result = reportPeriods(params);
  if (!result.ok) throw new Error(`${result.param}: ${result.message}`);
  return result.periods;
}
const hours = (p: Period) => (Date.parse(p.end) - Date.parse(p.start)) / HOUR;
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
/** The one period of a local day. */
const day = (date: string, timezone: string): Period => {
  const [period, ...rest] = periodsOf({ from: date, to: nextDate(date), granularity: "day", timezone });
  if (!period || rest.length > 0) throw new Error(`expected one period for ${date}`);
  return period;
};

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

const ZONES = [
  "UTC",
  "Europe/Stockholm",
  "America/New_York",
  "Australia/Sydney",
  "Australia/Lord_Howe", // DST shifts by 30 minutes
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "America/Santiago", // DST at midnight
  "Pacific/Chatham", // +12:45 / +13:45
  "America/St_Johns", // -03:30 / -02:30
] as const;
const WHOLE_HOUR_ZONES = ["UTC", "Europe/Stockholm", "America/New_York", "Australia/Sydney"] as const;
const instantArb = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.getTime());
// Up to 430 units, so some ranges cross MAX_PERIODS; total spans up to ~35 years.
const UNIT_MS = { day: DAY, week: 7 * DAY, month: 31 * DAY, total: 30 * DAY } as const;

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

/** The instant interval [from, to) a segment stands for. */
function interval(segment: Segment): [number, number] {
  const parse = (value: string) => Date.parse(segment.grain === "raw" ? value : `${value}:00.000Z`);
  return [parse(segment.from), parse(segment.to)];
}

const GRAIN_KEY = {
  m: /^\d{4}-\d{2}-01T00:00$/,
  d: /^\d{4}-\d{2}-\d{2}T00:00$/,
  h: /^\d{4}-\d{2}-\d{2}T\d{2}:00$/,
  q: /^\d{4}-\d{2}-\d{2}T\d{2}:(00|15|30|45)$/,
} as const;

describe("bucketKey", () => {
  const instant = new Date("2026-03-29T22:47:13.999Z");
  it.each([
    ["m", "2026-03-01T00:00"],
    ["d", "2026-03-29T00:00"],
    ["h", "2026-03-29T22:00"],
    ["q", "2026-03-29T22:45"],
  ] as const)("%s → %s", (grain, key) => expect(bucketKey(instant, grain)).toBe(key));

  it("floors before 1970 too, and refuses instants whose ISO form would not sort", () => {
    expect(bucketKey(new Date("1969-12-31T23:59:59.999Z"), "q")).toBe("1969-12-31T23:45");
    expect(bucketKey(new Date("0001-01-01T00:07:00Z"), "q")).toBe("0001-01-01T00:00");
    expect(() => bucketKey(new Date("+010000-01-01T00:00:00Z"), "d")).toThrow(RangeError);
    expect(() => bucketKey(new Date(Number.NaN), "d")).toThrow(RangeError);
  });
});

describe("segments", () => {
  it("reads the fewest buckets, subtracting an overshoot where that is cheaper than adding the edge", () => {
    const plus = (grain: string, from: string, to: string) => ({ grain, from, to, index: 0, sign: 1 });
    const minus = (grain: string, from: string, to: string) => ({ grain, from, to, index: 0, sign: -1 });
    // A Stockholm day (23:00Z to 23:00Z): one UTC day, plus the hour before it, minus the hour at its end.
    expect(segments([{ start: "2026-01-14T23:00:00.000Z", end: "2026-01-15T23:00:00.000Z" }])).toEqual([
      plus("h", "2026-01-14T23:00", "2026-01-15T00:00"),
      plus("d", "2026-01-15T00:00", "2026-01-16T00:00"),
      minus("h", "2026-01-15T23:00", "2026-01-16T00:00"),
    ]);
    // Unaligned on both sides: whole months in the middle, finer grains and raw slivers at the edges.
    expect(segments([{ start: "2026-01-15T10:07:13.123Z", end: "2026-04-03T05:52:00.000Z" }])).toEqual([
      minus("d", "2026-01-01T00:00", "2026-01-15T00:00"),
      minus("h", "2026-01-15T00:00", "2026-01-15T10:00"),
      minus("raw", "2026-01-15T10:00:00.000Z", "2026-01-15T10:07:13.123Z"),
      plus("m", "2026-01-01T00:00", "2026-04-01T00:00"),
      plus("d", "2026-04-01T00:00", "2026-04-03T00:00"),
      plus("h", "2026-04-03T00:00", "2026-04-03T06:00"),
      minus("raw", "2026-04-03T05:52:00.000Z", "2026-04-03T06:00:00.000Z"),
    ]);
    // Noon to noon: twenty-four hours read fewer buckets than a day with twelve hours off each side.
    expect(segments([{ start: "2026-01-14T12:00:00.000Z", end: "2026-01-15T12:00:00.000Z" }])).toEqual([
      plus("h", "2026-01-14T12:00", "2026-01-15T12:00"),
    ]);
  });

  it("keeps adjacent ranges apart, reads a whole month as one row range, and skips empty ranges", () => {
    expect(
      segments([
        { start: "2026-03-01T00:00:00.000Z", end: "2026-04-01T00:00:00.000Z" },
        { start: "2026-04-01T00:00:00.000Z", end: "2026-04-01T00:00:00.000Z" },
        { start: "2026-04-01T00:00:00.000Z", end: "2026-05-01T00:00:00.000Z" },
      ]),
    ).toEqual([
      { grain: "m", from: "2026-03-01T00:00", to: "2026-04-01T00:00", index: 0, sign: 1 },
      { grain: "m", from: "2026-04-01T00:00", to: "2026-05-01T00:00", index: 2, sign: 1 },
    ]);
  });

  it("throws on a reversed or unparsable range", () => {
    expect(() => segments([{ start: "2026-04-02T00:00:00Z", end: "2026-04-01T00:00:00Z" }])).toThrow(RangeError);
    expect(() => segments([{ start: "2026-04-01", end: "2026-04-02T00:00:00Z" }])).toThrow(RangeError);
  });

  const alignedArb = fc
    .tuple(instantArb("2000-01-01T00:00:00Z", "2100-12-31T23:59:59.999Z"), fc.constantFrom("m", "d", "h", "q"))
    .map(([ms, grain]) => Date.parse(`${bucketKey(new Date(ms), grain)}:00.000Z`));
  const edgeArb = fc.oneof(instantArb("2000-01-01T00:00:00Z", "2100-12-31T23:59:59.999Z"), alignedArb);
  const rangeArb = fc
    .tuple(edgeArb, fc.oneof(edgeArb, fc.nat({ max: 3 * DAY }), fc.nat({ max: 100 * DAY })))
    .map(([a, b]) => {
      const [start, end] = b < 1e12 ? [a, a + b] : [Math.min(a, b), Math.max(a, b)];
      return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    });

  const GRAIN_SETS: RollupGrain[][] = [
    ["m", "d", "h", "q"],
    ["m", "d", "h"],
    ["m", "d"],
  ];

  it("sums, with signs, to exactly each range, from any set of grains: aligned segments, at most 9", () => {
    fc.assert(
      fc.property(fc.array(rangeArb, { maxLength: 4 }), fc.constantFrom(...GRAIN_SETS), (ranges, grains) => {
        const all = segments(ranges, grains);
        for (const [index, range] of ranges.entries()) {
          const own = all.filter((s) => s.index === index);
          expect(own.length).toBeLessThanOrEqual(9);
          const start = Date.parse(range.start);
          const end = Date.parse(range.end);
          // The signed count of segments over an instant only changes at a bound, so checking at
          // every bound and just before it checks every instant: 1 inside the range, 0 outside.
          const bounds = [start, end, ...own.flatMap(interval)];
          for (const x of bounds.flatMap((b) => [b, b - 1])) {
            const covered = own
              .filter((s) => interval(s)[0] <= x && x < interval(s)[1])
              .reduce((n, s) => n + s.sign, 0);
            expect(covered, `${new Date(x).toISOString()} in ${range.start} – ${range.end}`).toBe(
              start <= x && x < end ? 1 : 0,
            );
          }
          for (const segment of own) {
            expect(interval(segment)[1]).toBeGreaterThan(interval(segment)[0]);
            if (segment.grain === "raw") {
              expect(new Date(segment.from).toISOString()).toBe(segment.from);
              expect(new Date(segment.to).toISOString()).toBe(segment.to);
              // Raw rows only where no whole bucket of the finest grain fits.
              const finest = grains.at(-1) ?? "q";
              const size = { m: 31 * DAY, d: DAY, h: HOUR, q: QUARTER }[finest];
              const first = Date.parse(`${bucketKey(new Date(Date.parse(segment.from) - 1 + size), finest)}:00Z`);
              if (finest !== "m") expect(first + size).toBeGreaterThan(Date.parse(segment.to));
            } else {
              expect(grains).toContain(segment.grain);
              expect(segment.from).toMatch(GRAIN_KEY[segment.grain]);
              expect(segment.to).toMatch(GRAIN_KEY[segment.grain]);
            }
          }
        }
      }),
    );
  });

  it("reads a local day of a whole-hour zone as one day and the hours of its offset, or 24 hours", () => {
    fc.assert(
      fc.property(
        instantArb("2000-01-01T00:00:00Z", "2100-12-31T00:00:00Z"),
        fc.integer({ min: -12, max: 14 }),
        (ms, offset) => {
          const start = Date.parse(`${bucketKey(new Date(ms), "d")}:00.000Z`) - offset * HOUR;
          const own = segments([{ start: new Date(start).toISOString(), end: new Date(start + DAY).toISOString() }]);
          const cost = own.reduce((n, s) => n + (interval(s)[1] - interval(s)[0]) / (s.grain === "d" ? DAY : HOUR), 0);
          const off = ((offset % 24) + 24) % 24;
          expect(cost).toBe(Math.min(24, 1 + 2 * Math.min(off, 24 - off)));
        },
      ),
    );
  });

  const dayPeriodsArb = (zones: readonly string[]) =>
    fc
      .record({
        zone: fc.constantFrom(...zones),
        granularity: fc.constantFrom<Granularity>("day", "week", "month"),
        from: instantArb("2000-01-01T00:00:00Z", "2100-12-31T00:00:00Z"),
        days: fc.integer({ min: 1, max: 120 }),
      })
      .map(({ zone, granularity, from, days }) =>
        periodsOf({
          from: oracleDate(from, zone),
          to: oracleDate(from + days * DAY, zone),
          granularity,
          timezone: zone,
        }),
      );

  it("needs neither raw rows nor quarter hours for local-midnight periods in whole-hour zones", () => {
    fc.assert(
      fc.property(dayPeriodsArb(WHOLE_HOUR_ZONES), (periods) => {
        const grains = new Set(segments(periods).map((s) => s.grain));
        expect(grains.has("raw")).toBe(false);
        expect(grains.has("q")).toBe(false);
      }),
    );
  });

  it("needs quarter hours but never raw rows in Kolkata (+05:30) and Kathmandu (+05:45)", () => {
    fc.assert(
      fc.property(dayPeriodsArb(["Asia/Kolkata", "Asia/Kathmandu"]), (periods) => {
        const all = segments(periods);
        expect(all.some((s) => s.grain === "raw")).toBe(false);
        for (const index of periods.keys()) expect(all.some((s) => s.index === index && s.grain === "q")).toBe(true);
      }),
    );
  });
});
