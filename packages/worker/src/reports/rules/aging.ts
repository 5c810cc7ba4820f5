import { type AgingRow, addDaysUtc } from "@tranche/shared";

/**
 * The aging buckets by days past due, counted in UTC calendar days from the due date to as_of's
 * date: due that day or later is not yet due, due the day before is 1 day past due.
 */
export const AGING_BUCKETS = ["not_yet_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90"] as const;
type Bucket = (typeof AGING_BUCKETS)[number];

/** The days past due each bucket starts at: a bucket ends where the next begins. */
const STARTS: Record<Bucket, number> = {
  not_yet_due: 0,
  days_1_30: 1,
  days_31_60: 31,
  days_61_90: 61,
  days_over_90: 91,
};

export interface AgedTotal {
  i: number;
  currency: string;
  amount: number;
}

const startOfUtcDay = (instant: Date) => new Date(instant.toISOString().slice(0, 10));

/**
 * The due-date ranges of the buckets at `asOf`, in bucket order, bounded by `beginning` and `end`
 * (instants before and after anything in the book).
 */
export function agingRanges(asOf: Date, beginning: string, end: string): { start: string; end: string }[] {
  const today = startOfUtcDay(asOf);
  // Money due n days before today is n days past due: the bucket from n days on ends at due date today − n + 1.
  const dueBefore = (days: number) => addDaysUtc(today, -(days - 1)).toISOString();
  return AGING_BUCKETS.map((bucket, k) => {
    const next = AGING_BUCKETS[k + 1];
    return {
      start: next ? dueBefore(STARTS[next]) : beginning,
      end: bucket === "not_yet_due" ? end : dueBefore(STARTS[bucket]),
    };
  });
}

/** The bucket index of money due on `dueOn` (`YYYY-MM-DD`, UTC), aged at `asOf`. */
export function agingBucket(dueOn: string, asOf: Date): number {
  const days = Math.round((startOfUtcDay(asOf).getTime() - Date.parse(dueOn)) / 86_400_000);
  let index = 0;
  AGING_BUCKETS.forEach((bucket, k) => {
    if (days >= STARTS[bucket]) index = k;
  });
  return index;
}

/** One row per currency with anything receivable; the buckets sum to `total`. */
export function agingRows(totals: readonly AgedTotal[]): AgingRow[] {
  const rows = new Map<string, AgingRow>();
  for (const t of totals) {
    const bucket = AGING_BUCKETS[t.i];
    if (!bucket || t.amount === 0) continue;
    const row = rows.get(t.currency) ?? {
      currency: t.currency,
      not_yet_due: 0,
      days_1_30: 0,
      days_31_60: 0,
      days_61_90: 0,
      days_over_90: 0,
      total: 0,
    };
    row[bucket] += t.amount;
    row.total += t.amount;
    rows.set(t.currency, row);
  }
  return [...rows.values()]
    .filter((r) => AGING_BUCKETS.some((b) => r[b] !== 0))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
