const MS_PER_DAY = 86_400_000;

/** UTC has no daylight-saving shifts, so a day is always exactly 86 400 000 ms. */
export function addDaysUtc(d: Date, days: number): Date {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return new Date(d.getTime() + days * MS_PER_DAY);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month of the proleptic Gregorian calendar; `monthIndex` is 0-based (0 = January). */
export function daysInMonthUtc(year: number, monthIndex: number): number {
  const days = DAYS_IN_MONTH[monthIndex];
  if (days === undefined) throw new RangeError(`monthIndex must be 0–11, got ${monthIndex}`);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return monthIndex === 1 && leap ? 29 : days;
}

/**
 * The date `months` months after `anchor`, on the anchor's day of month clamped to the length
 * of the target month, at the anchor's UTC time of day.
 *
 * Always computed from the anchor, never from the previous due date: chaining would drift
 * (31 Jan → 28 Feb → 28 Mar …), whereas this gives 31 Jan → 28 Feb → 31 Mar.
 */
export function addMonthsClampedUtc(anchor: Date, months: number): Date {
  if (!Number.isSafeInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const monthIndex = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonthUtc(year, month));
  // Copying the anchor keeps its time of day; setUTCFullYear avoids Date.UTC's 0–99 → 19xx quirk.
  const result = new Date(anchor.getTime());
  result.setUTCFullYear(year, month, day);
  return result;
}
