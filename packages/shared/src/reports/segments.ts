import { daysInMonthUtc } from "../money/dates";

/**
 * Rollup grains, all aligned in UTC: calendar month, day, hour, quarter hour. `raw` means the ledger rows
 * themselves, for the sub-quarter-hour edges no rollup can answer.
 */
export type Grain = "m" | "d" | "h" | "q" | "raw";
export type RollupGrain = Exclude<Grain, "raw">;

/**
 * Part of input range `index`, [from, to), added to its sums (`sign` 1) or taken from them (-1). Grain
 * segments hold bucket keys (`YYYY-MM-DDTHH:MM`) and mean "buckets with key >= from and < to"; raw
 * segments hold `toISOString()` instants and mean "rows with created_at >= from and < to".
 */
export interface Segment {
  grain: Grain;
  from: string;
  to: string;
  index: number;
  sign: 1 | -1;
}

/** Coarsest first, so the middle of a range is read from the fewest rows. */
export const ROLLUP_GRAINS: readonly RollupGrain[] = ["m", "d", "h", "q"];

// Every UTC day is 86 400 000 ms in JavaScript time (no leap seconds), so only months need the calendar.
const FIXED_MS = { d: 86_400_000, h: 3_600_000, q: 900_000 } as const;
// Keys and raw bounds are compared as strings in SQL; outside years 0000–9999 toISOString changes shape.
export const MIN_INSTANT = Date.parse("0000-01-01T00:00:00.000Z");
export const MAX_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");
/** RFC 3339: seconds required, a fraction of up to nanoseconds, Z or a numeric offset. The document states it as is. */
export const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonthUtc(year, month - 1);
}

/** Milliseconds since the epoch (periods.ts parses its timestamps here too), or undefined if `value` is not an RFC 3339 timestamp with Z or an offset. */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 10, 11].map((i) =>
    Number(m[i] ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second);
  // Rows are stored to the millisecond, so rounding a finer fraction up keeps both ">= from" and "< to" exact.
  // Integer nanoseconds: Number("0.129") * 1000 is 129.00000000000003, which would round up to 130.
  const millis = Math.ceil(Number((m[7] ?? "").padEnd(9, "0")) / 1_000_000);
  const offset = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return utc.getTime() + millis - offset;
}

function floorTo(ms: number, grain: RollupGrain): number {
  if (grain === "m") {
    const month = new Date(ms);
    month.setUTCDate(1);
    month.setUTCHours(0, 0, 0, 0);
    return month.getTime();
  }
  const size = FIXED_MS[grain];
  // Double modulo: before 1970 `ms % size` is negative.
  return ms - (((ms % size) + size) % size);
}

function ceilTo(ms: number, grain: RollupGrain): number {
  const floor = floorTo(ms, grain);
  if (floor === ms) return ms;
  if (grain !== "m") return floor + FIXED_MS[grain];
  const next = new Date(floor);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return next.getTime();
}

function inRange(ms: number): boolean {
  return ms >= MIN_INSTANT && ms <= MAX_INSTANT;
}

/** Key of the `grain` bucket containing `instant`: its UTC start as `YYYY-MM-DDTHH:MM`. */
export function bucketKey(instant: Date, grain: RollupGrain): string {
  const ms = instant.getTime();
  if (!inRange(ms)) throw new RangeError(`bucketKey needs an instant in the years 0000–9999, got ${String(instant)}`);
  return new Date(floorTo(ms, grain)).toISOString().slice(0, 16);
}

// Only called with bucket starts inside the years 0000–9999.
const keyAt = (ms: number) => new Date(ms).toISOString().slice(0, 16);

type Part = Omit<Segment, "index">;
interface Cover {
  /** Buckets read, which the rows read scale with; raw rows cost more the longer the time they span. */
  cost: number;
  parts: Part[];
}

function bucketsBetween(grain: RollupGrain, from: number, to: number): number {
  if (grain !== "m") return (to - from) / FIXED_MS[grain];
  const a = new Date(from);
  const b = new Date(to);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

const negated = (cover: Cover): Cover => ({
  cost: cover.cost,
  parts: cover.parts.map((p) => ({ ...p, sign: p.sign === 1 ? -1 : 1 })),
});

/**
 * The cheapest cover of [start, end) by runs of whole buckets of `grains[k]` and finer, each edge
 * either added (the run starts inside the range) or subtracted (the run reaches past it and the
 * overshoot is taken away). A local day in Stockholm, 23:00Z to 23:00Z, is then one UTC day plus one
 * hour minus one hour, three buckets rather than twenty-four hours. Every edge of a run is aligned on
 * one side, so each level adds at most one run per side: at most 9 parts in all. `grains` is coarsest
 * first, each dividing the one before it.
 */
function cover(start: number, end: number, grains: readonly RollupGrain[], k: number, memo: Map<string, Cover>): Cover {
  if (start >= end) return { cost: 0, parts: [] };
  const grain = grains[k];
  // Raw rows pile up with time like no bucket does: a sliver is cheap, anything longer never pays.
  if (!grain)
    return {
      cost: 1 + (4 * (end - start)) / FIXED_MS.q,
      parts: [{ grain: "raw", from: iso(start), to: iso(end), sign: 1 }],
    };
  const key = `${start}:${end}:${k}`;
  const known = memo.get(key);
  if (known) return known;
  let best = cover(start, end, grains, k + 1, memo);
  // Inward edges first: on a tie the cover without subtractions wins.
  for (const from of new Set([ceilTo(start, grain), floorTo(start, grain)])) {
    for (const to of new Set([floorTo(end, grain), ceilTo(end, grain)])) {
      if (from >= to || to > MAX_INSTANT) continue;
      const left =
        from >= start ? cover(start, from, grains, k + 1, memo) : negated(cover(from, start, grains, k + 1, memo));
      const right = to <= end ? cover(to, end, grains, k + 1, memo) : negated(cover(end, to, grains, k + 1, memo));
      const cost = left.cost + bucketsBetween(grain, from, to) + right.cost;
      if (cost < best.cost) {
        best = { cost, parts: [...left.parts, { grain, from: keyAt(from), to: keyAt(to), sign: 1 }, ...right.parts] };
      }
    }
  }
  memo.set(key, best);
  return best;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Decomposes each [start, end) (ISO instants) onto the UTC rollup grains a table keeps (coarsest
 * first; by default all four): the fewest buckets whose signed sum is exactly the range. Ranges are decomposed independently, even when adjacent, so each
 * segment answers for exactly one period. Throws RangeError for an unparsable instant or an end
 * before its start; an empty range has no segments.
 */
export function segments(
  ranges: readonly { start: string; end: string }[],
  grains: readonly RollupGrain[] = ROLLUP_GRAINS,
): Segment[] {
  const out: Segment[] = [];
  const memo = new Map<string, Cover>();
  for (const [index, range] of ranges.entries()) {
    const start = parseTimestamp(range.start);
    const end = parseTimestamp(range.end);
    if (start === undefined || end === undefined || !inRange(start) || !inRange(end))
      throw new RangeError(`Range ${index} needs ISO instants in the years 0000–9999: ${range.start} – ${range.end}`);
    if (end < start) throw new RangeError(`Range ${index} ends before it starts: ${range.start} – ${range.end}`);
    for (const part of cover(start, end, grains, 0, memo).parts) out.push({ ...part, index });
  }
  return out;
}
