import { TZDate } from "@date-fns/tz";
import {
  addDays,
  addMonths,
  addWeeks,
  differenceInCalendarDays,
  differenceInCalendarMonths,
  differenceInCalendarWeeks,
  startOfDay,
  startOfMonth,
  startOfWeek,
} from "date-fns";
import { isCalendarDate, MAX_INSTANT, MIN_INSTANT, parseTimestamp } from "./segments";

export const GRANULARITIES = ["day", "week", "month", "total"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface PeriodParams {
  /** Inclusive: a local date `YYYY-MM-DD` (its first instant in `timezone`) or an ISO 8601 timestamp with an offset. */
  from: string;
  /** Exclusive; same forms as `from`. */
  to: string;
  granularity: Granularity;
  /** IANA name, e.g. `Europe/Stockholm`. */
  timezone: string;
}

export interface Period {
  /** UTC, `Date.toISOString()` format. */
  start: string;
  end: string;
  /** Local date the aligned bucket starts on (`YYYY-MM-DD`, a Monday for weeks), `YYYY-MM`, or `from/to` for total. */
  label: string;
}

export type PeriodResult =
  | { ok: true; periods: Period[] }
  | { ok: false; param: "from" | "to" | "timezone" | "granularity"; message: string };

/** A report reads a few rollup rows per period, so this bounds the work one request can ask for. */
export const MAX_PERIODS = 400;

const MS_PER_DAY = 86_400_000;
export const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Intl also takes offsets such as "+05:30" on newer engines; those are not places, and have no DST to get right.
export const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

export function isValidTimeZone(name: string): boolean {
  if (typeof name !== "string" || !ZONE_NAME_RE.test(name)) return false;
  try {
    // supportedValuesOf("timeZone") lists neither "UTC" nor links such as "Asia/Kolkata" on V8, so ask the formatter.
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * A calendar date with no zone attached, held as midnight in UTC: date-fns arithmetic on it (adding days,
 * months, finding Mondays) then never meets an offset change, and only `startOfLocalDay` maps it to an instant.
 */
type CivilDay = TZDate;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(zone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(zone);
  if (!format) {
    // Zone names are validated first, but spellings are not canonical ("utc", "UTC"), so keep the cache bounded.
    if (dateFormats.size >= 1000) dateFormats.clear();
    // "gregory" is proleptic in V8; the "iso8601" calendar, surprisingly, switches to Julian dates before 1582.
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      calendar: "gregory",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
    });
    dateFormats.set(zone, format);
  }
  return format;
}

/**
 * The local date of `instant` in `zone`, read from Intl rather than from TZDate: @date-fns/tz 1.5 reads an
 * offset such as Monrovia's -00:44:30 (until 1972) as +00:44:30, because "-00" hours parse as +0.
 */
function civilDayOf(instant: number, zone: string): CivilDay {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of dateFormat(zone).formatToParts(instant)) fields[part.type] = part.value;
  const year = Number(fields.year);
  return civilDay(fields.era === "BC" ? 1 - year : year, Number(fields.month) - 1, Number(fields.day));
}

function civilDay(year: number, monthIndex: number, day: number): CivilDay {
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999.
  utc.setUTCFullYear(year, monthIndex, day);
  return new TZDate(utc.getTime(), "UTC");
}

function formatDay(day: CivilDay): string {
  const month = String(day.getMonth() + 1).padStart(2, "0");
  return `${String(day.getFullYear()).padStart(4, "0")}-${month}-${String(day.getDate()).padStart(2, "0")}`;
}

/** The local date of `instant` in `timezone`, as `YYYY-MM-DD`. Throws RangeError on a bad zone or instant. */
export function localDate(instant: Date | string, timezone: string): string {
  if (!isValidTimeZone(timezone)) throw new RangeError(`Unknown time zone ${JSON.stringify(timezone)}`);
  const ms = typeof instant === "string" ? parseTimestamp(instant) : instant.getTime();
  if (ms === undefined || Number.isNaN(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return formatDay(civilDayOf(ms, timezone));
}

/**
 * The first instant whose local date in `zone` is `day` or later. That is local midnight except where a
 * DST gap swallows midnight (Santiago, Havana, Beirut: the day starts at 01:00) or the whole day
 * (Apia skipped 2011-12-30: the next day's start).
 */
function startOfLocalDay(day: CivilDay, zone: string): number {
  const wall = new TZDate(day.getTime(), zone);
  wall.setFullYear(day.getFullYear(), day.getMonth(), day.getDate());
  const guess = startOfDay(wall).getTime();
  if (startsLocalDay(guess, day, zone)) return guess;
  // @date-fns/tz's setters round historical offsets to whole minutes (Berlin's LMT is +00:53:28) and misread
  // Monrovia's -00:44:30, landing up to 90 minutes off. Offsets are under a day, so bisect a 4-day window.
  let below = day.getTime() - 2 * MS_PER_DAY;
  let atOrAfter = day.getTime() + 2 * MS_PER_DAY;
  while (atOrAfter - below > 1) {
    const mid = below + Math.floor((atOrAfter - below) / 2);
    if (civilDayOf(mid, zone).getTime() >= day.getTime()) atOrAfter = mid;
    else below = mid;
  }
  return atOrAfter;
}

function startsLocalDay(instant: number, day: CivilDay, zone: string): boolean {
  if (Number.isNaN(instant)) return false;
  const target = day.getTime();
  return civilDayOf(instant, zone).getTime() >= target && civilDayOf(instant - 1, zone).getTime() < target;
}

type Bound = { ok: true; instant: number } | { ok: false; message: string };

/** A report's instant parameter: a local date (its first instant in `zone`) or a timestamp with Z or an offset. */
export function parseBound(name: string, value: string, zone: string): Bound {
  const shape = `${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with Z or an offset (2026-03-01T09:30:00Z)`;
  if (typeof value !== "string") return { ok: false, message: shape };
  const date = DATE_RE.exec(value);
  let instant: number | undefined;
  if (date) {
    const [year, month, day] = date.slice(1, 4).map(Number) as [number, number, number];
    if (!isCalendarDate(year, month, day)) return { ok: false, message: `${name} ${value} is not a calendar date` };
    instant = startOfLocalDay(civilDay(year, month - 1, day), zone);
  } else {
    instant = parseTimestamp(value);
    if (instant === undefined) return { ok: false, message: `${shape}; got ${JSON.stringify(value)}` };
  }
  if (instant < MIN_INSTANT || instant > MAX_INSTANT)
    return { ok: false, message: `${name} ${value} is outside the years 0000–9999 (UTC)` };
  return { ok: true, instant };
}

interface Unit {
  /** The first day of the bucket containing `day`. */
  align: (day: CivilDay) => CivilDay;
  add: (day: CivilDay, n: number) => CivilDay;
  between: (later: CivilDay, earlier: CivilDay) => number;
  label: (bucket: CivilDay) => string;
  coarser: string;
}

const UNITS: Record<Exclude<Granularity, "total">, Unit> = {
  day: {
    align: (day) => day,
    add: (day, n) => addDays(day, n),
    between: (later, earlier) => differenceInCalendarDays(later, earlier),
    label: formatDay,
    coarser: "week, month or total",
  },
  week: {
    align: (day) => startOfWeek(day, { weekStartsOn: 1 }),
    add: (day, n) => addWeeks(day, n),
    between: (later, earlier) => differenceInCalendarWeeks(later, earlier, { weekStartsOn: 1 }),
    label: formatDay,
    coarser: "month or total",
  },
  month: {
    align: (day) => startOfMonth(day),
    add: (day, n) => addMonths(day, n),
    between: (later, earlier) => differenceInCalendarMonths(later, earlier),
    label: (bucket) => formatDay(bucket).slice(0, 7),
    coarser: "total",
  },
};

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Splits [from, to) into report periods whose boundaries are local midnights in `timezone`. The first and
 * last periods may be partial; each is labelled by its whole bucket. Returns, never throws, a problem
 * naming the offending parameter.
 */
export function reportPeriods(params: PeriodParams): PeriodResult {
  const { granularity, timezone } = params;
  if (!(GRANULARITIES as readonly string[]).includes(granularity))
    return { ok: false, param: "granularity", message: `granularity must be one of ${GRANULARITIES.join(", ")}` };
  if (!isValidTimeZone(timezone))
    return {
      ok: false,
      param: "timezone",
      message: `${JSON.stringify(timezone)} is not an IANA time zone name (e.g. Europe/Stockholm, UTC)`,
    };
  const from = parseBound("from", params.from, timezone);
  if (!from.ok) return { ok: false, param: "from", message: from.message };
  const to = parseBound("to", params.to, timezone);
  if (!to.ok) return { ok: false, param: "to", message: to.message };
  if (to.instant <= from.instant)
    return { ok: false, param: "to", message: `to (${params.to}) must be after from (${params.from})` };

  if (granularity === "total") {
    const label = `${formatDay(civilDayOf(from.instant, timezone))}/${formatDay(civilDayOf(to.instant, timezone))}`;
    return { ok: true, periods: [{ start: iso(from.instant), end: iso(to.instant), label }] };
  }

  const unit = UNITS[granularity];
  const first = unit.align(civilDayOf(from.instant, timezone));
  // `to` is exclusive: the last bucket is the one holding the last millisecond before it.
  const last = unit.align(civilDayOf(to.instant - 1, timezone));
  // Counted on the calendar, so ten thousand years by day is refused without walking them.
  const count = unit.between(last, first) + 1;
  if (count > MAX_PERIODS)
    return {
      ok: false,
      param: "to",
      message:
        `${params.from} to ${params.to} by ${granularity} makes ${count} periods; at most ${MAX_PERIODS} are allowed. ` +
        `Use a coarser granularity (${unit.coarser}) or a shorter range.`,
    };

  const periods: Period[] = [];
  let start = from.instant;
  for (let i = 0; i < count; i++) {
    const end = i === count - 1 ? to.instant : startOfLocalDay(unit.add(first, i + 1), timezone);
    // A bucket can be empty: a day the zone skipped (Apia, 2011-12-30) starts where the next one does.
    if (end > start) periods.push({ start: iso(start), end: iso(end), label: unit.label(unit.add(first, i)) });
    start = Math.max(start, end);
  }
  return { ok: true, periods };
}
