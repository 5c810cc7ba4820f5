// bucketKey and segments: the rollup buckets a report period is read from.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketKey, type Granularity, type RollupGrain, type Segment, segments } from "../src/reports";
import { DAY, HOUR, instantArb, oracleDate, periodsOf, QUARTER, WHOLE_HOUR_ZONES } from "./period-kit";

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
