import type { CollectionsRow, Period } from "@tranche/shared";
import { type CollectionOutcome, OUTCOMES } from "./outcome";

/** Installments due in one period (`index` into the periods, from 0), of one currency and outcome. */
export interface OutcomeTotal {
  i: number;
  currency: string;
  outcome: string;
  count: number;
  amount: number;
}

type Tally = Record<Exclude<CollectionOutcome, "none">, { count: number; amount: number }>;

/** A share to four decimals, or null when there is nothing to divide by. */
function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * The collections rows, one per period for each currency with installments due in the range: the
 * installments by the period their due date falls in, and how each ended up. The rates count only money whose charge has run (collected, failed, or in dunning), so a period
 * still in the future does not look like a collections failure.
 */
export function collectionsRows(periods: readonly Period[], totals: readonly OutcomeTotal[]): CollectionsRow[] {
  const tallies = new Map<string, Tally>();
  for (const t of totals) {
    if (!(OUTCOMES as readonly string[]).includes(t.outcome)) continue;
    const key = `${t.i}|${t.currency}`;
    const tally = tallies.get(key) ?? emptyTally();
    tallies.set(key, tally);
    const cell = tally[t.outcome as keyof Tally];
    cell.count += t.count;
    cell.amount += t.amount;
  }
  const currencies = [...new Set(totals.map((t) => t.currency))].sort();
  return periods.flatMap((period, index) =>
    currencies.map((currency) => row(period, currency, tallies.get(`${index}|${currency}`) ?? emptyTally())),
  );
}

function emptyTally(): Tally {
  return Object.fromEntries(OUTCOMES.map((o) => [o, { count: 0, amount: 0 }])) as Tally;
}

function row(period: Period, currency: string, t: Tally): CollectionsRow {
  const due = OUTCOMES.reduce((s, o) => ({ count: s.count + t[o].count, amount: s.amount + t[o].amount }), {
    count: 0,
    amount: 0,
  });
  const failed = { count: t.failed.count + t.written_off.count, amount: t.failed.amount + t.written_off.amount };
  const collected = t.on_time.amount + t.late.amount;
  const declined = failed.amount + t.dunning.amount;
  return {
    period_start: period.start,
    period_end: period.end,
    period: period.label,
    currency,
    due_count: due.count,
    due_amount: due.amount,
    collected_on_time_count: t.on_time.count,
    collected_on_time_amount: t.on_time.amount,
    collected_late_count: t.late.count,
    collected_late_amount: t.late.amount,
    failed_count: failed.count,
    failed_amount: failed.amount,
    outstanding_count: t.pending.count + t.dunning.count,
    outstanding_amount: t.pending.amount + t.dunning.amount,
    in_dunning_count: t.dunning.count,
    in_dunning_amount: t.dunning.amount,
    collection_rate: rate(collected, collected + declined),
    recovery_rate: rate(t.late.amount, t.late.amount + declined),
  };
}
