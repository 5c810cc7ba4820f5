// Helpers of the report-period tests (periods, periods.properties, segments): units, reference
// dates straight from Intl, and arbitraries over time zones and instants.
import fc from "fast-check";
import { type Granularity, type Period, type PeriodParams, reportPeriods } from "../src/reports";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const QUARTER = HOUR / 4;

/** Local dates straight from Intl (en-CA prints YYYY-MM-DD), as a reference independent of the engine's own path. */
const oracles = new Map<string, Intl.DateTimeFormat>();
export function oracleDate(ms: number, zone: string): string {
  let format = oracles.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    oracles.set(zone, format);
  }
  return format.format(ms);
}

export const dayIndex = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
/** Monday of the week holding `date`; 1970-01-05 was a Monday. */
export const monday = (date: string) => {
  const index = dayIndex(date);
  return new Date((index - ((((index - 4) % 7) + 7) % 7)) * DAY).toISOString().slice(0, 10);
};
export const bucketOf = (date: string, granularity: Exclude<Granularity, "total">) =>
  granularity === "day" ? date : granularity === "week" ? monday(date) : date.slice(0, 7);
export const bucketIndex = (bucket: string, granularity: Exclude<Granularity, "total">) =>
  granularity === "day"
    ? dayIndex(bucket)
    : granularity === "week"
      ? Math.round((dayIndex(bucket) - 4) / 7)
      : Number(bucket.slice(0, 4)) * 12 + Number(bucket.slice(5, 7));

export function periodsOf(params: PeriodParams): Period[] {
  const result = reportPeriods(params);
  if (!result.ok) throw new Error(`${result.param}: ${result.message}`);
  return result.periods;
}
export const hours = (p: Period) => (Date.parse(p.end) - Date.parse(p.start)) / HOUR;
export const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
/** The one period of a local day. */
export const day = (date: string, timezone: string): Period => {
  const [period, ...rest] = periodsOf({ from: date, to: nextDate(date), granularity: "day", timezone });
  if (!period || rest.length > 0) throw new Error(`expected one period for ${date}`);
  return period;
};

export const ZONES = [
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
export const WHOLE_HOUR_ZONES = ["UTC", "Europe/Stockholm", "America/New_York", "Australia/Sydney"] as const;
export const instantArb = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.getTime());
// Up to 430 units, so some ranges cross MAX_PERIODS; total spans up to ~35 years.
export const UNIT_MS = { day: DAY, week: 7 * DAY, month: 31 * DAY, total: 30 * DAY } as const;
