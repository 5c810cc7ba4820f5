import { daysInMonthUtc } from "../money/dates";

/**
 * Rollup grains, all aligned in UTC: calendar month, day, hour, quarter hour. `raw` means the ledger rows
 * themselves, for the sub-quarter-hour edges no rollup can answer.
 */
export type Grain = "m" | "d" | "h" | "q" | "raw";
export type RollupGrain = Exclude<Grain, "raw">;

/**
 * Part of input range `index`, [from, to). Grain segments hold bucket keys (`YYYY-MM-DDTHH:MM`) and mean
 * "buckets with key >= from and < to"; raw segments hold `toISOString()` instants and mean
 * "rows with created_at >= from and < to".
 */
export interface Segment {
  grain: Grain;
  from: string;
  to: string;
  index: number;
}

/** Coarsest first, so the middle of a range is read from the fewest rows. */
export const ROLLUP_GRAINS: readonly RollupGrain[] = ["m", "d", "h", "q"];

// Every UTC day is 86 400 000 ms in JavaScript time (no leap seconds), so only months need the calendar.
const FIXED_MS = { d: 86_400_000, h: 3_600_000, q: 900_000 } as const;
// Keys and raw bounds are compared as strings in SQL; outside years 0000–9999 toISOString changes shape.
export const MIN_INSTANT = Date.parse("0000-01-01T00:00:00.000Z");
export const MAX_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

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

// Only called with bucket starts inside [start, end], already checked to lie in the years 0000–9999.
const keyAt = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/**
 * Covers [start, end) exactly with the coarsest grain that has a whole bucket inside it, then the two
 * leftovers with finer grains. Grains nest (a month is whole days, a day whole hours …), so each side
 * takes at most one segment per finer grain plus one raw edge: at most 9 segments, and no two adjacent
 * segments could merge into one.
 */
function decompose(start: number, end: number, grains: readonly RollupGrain[], index: number, out: Segment[]): void {
  if (start >= end) return;
  for (const [k, grain] of grains.entries()) {
    const first = ceilTo(start, grain);
    const last = floorTo(end, grain);
    if (first >= last) continue;
    const finer = grains.slice(k + 1);
    decompose(start, first, finer, index, out);
    out.push({ grain, from: keyAt(first), to: keyAt(last), index });
    decompose(last, end, finer, index, out);
    return;
  }
  out.push({ grain: "raw", from: new Date(start).toISOString(), to: new Date(end).toISOString(), index });
}

/**
 * Decomposes each [start, end) (ISO instants) onto the UTC rollup grains, in time order within each range.
 * Ranges are decomposed independently, even when adjacent, so each segment answers for exactly one period.
 * Throws RangeError for an unparsable instant or an end before its start; an empty range has no segments.
 */
export function segments(ranges: readonly { start: string; end: string }[]): Segment[] {
  const out: Segment[] = [];
  for (const [index, range] of ranges.entries()) {
    const start = parseTimestamp(range.start);
    const end = parseTimestamp(range.end);
    if (start === undefined || end === undefined || !inRange(start) || !inRange(end))
      throw new RangeError(`Range ${index} needs ISO instants in the years 0000–9999: ${range.start} – ${range.end}`);
    if (end < start) throw new RangeError(`Range ${index} ends before it starts: ${range.start} – ${range.end}`);
    decompose(start, end, ROLLUP_GRAINS, index, out);
  }
  return out;
}
