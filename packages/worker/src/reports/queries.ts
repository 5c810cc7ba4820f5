import type { AgingRow, CollectionsRow, Period, SettlementRow } from "@tranche/shared";
import { type AgedTotal, agingBucket, agingRanges, agingRows } from "../domain/reports/aging";
import { collectionsRows, type OutcomeTotal } from "../domain/reports/collections";
import { OWED_OUTCOMES } from "../domain/reports/outcome";
import { type LedgerTotal, settlementRows } from "../domain/reports/settlement";
import type { AuthContext } from "../env";
import { BEGINNING, COLLECTIONS, END_OF_TIME, LEDGER, sumRanges } from "./rollups";

/** Ledger totals per period, and before the first (range 0) for the opening balances. */
export async function settlements(
  db: D1Database,
  auth: AuthContext,
  periods: readonly Period[],
  currency: string | undefined,
): Promise<SettlementRow[]> {
  const first = periods[0];
  if (!first) return [];
  const ranges = [{ start: BEGINNING, end: first.start }, ...periods];
  const totals = await sumRanges<Omit<LedgerTotal, "index">>(db, LEDGER, auth, ranges, currency);
  return settlementRows(
    periods,
    totals.map((t) => ({ ...t, index: Number(t.i) })),
  );
}

export async function collections(
  db: D1Database,
  auth: AuthContext,
  periods: readonly Period[],
  currency: string | undefined,
): Promise<CollectionsRow[]> {
  const totals = await sumRanges<Omit<OutcomeTotal, "i">>(db, COLLECTIONS, auth, periods, currency);
  return collectionsRows(
    periods,
    totals.map((t) => ({ ...t, i: Number(t.i) })),
  );
}

/** The book as it stands: what is owed now, by due date, from the collection rollups. */
export async function agingNow(
  db: D1Database,
  auth: AuthContext,
  asOf: Date,
  currency: string | undefined,
): Promise<AgingRow[]> {
  const totals = await sumRanges<Omit<OutcomeTotal, "i">>(
    db,
    COLLECTIONS,
    auth,
    agingRanges(asOf, BEGINNING, END_OF_TIME),
    currency,
  );
  return agingRows(
    totals
      .filter((t) => OWED_OUTCOMES.has(t.outcome as never))
      .map((t) => ({ i: Number(t.i), currency: t.currency, amount: t.amount })),
  );
}

/**
 * The book as it stood at `asOf`: every change of the receivable before it, by due date. Whole
 * days before as_of's date come from the daily history, the rest of that day from the changes.
 */
export async function agingAsOf(
  db: D1Database,
  auth: AuthContext,
  asOf: Date,
  currency: string | undefined,
): Promise<AgingRow[]> {
  const day = asOf.toISOString().slice(0, 10);
  const { results } = await db
    .prepare(
      `SELECT currency, due_on, SUM(amount) AS amount FROM (
         SELECT currency, due_on, amount FROM receivable_history
         WHERE merchant_id = ?1 AND livemode = ?2 AND changed_on < ?3 AND (?5 IS NULL OR currency = ?5)
         UNION ALL
         SELECT currency, due_on, amount FROM receivable_changes
         WHERE merchant_id = ?1 AND livemode = ?2 AND at >= ?3 AND at < ?4 AND (?5 IS NULL OR currency = ?5))
       GROUP BY currency, due_on`,
    )
    .bind(auth.merchantId, auth.livemode ? 1 : 0, day, asOf.toISOString(), currency ?? null)
    .all<{ currency: string; due_on: string; amount: number }>();
  const totals: AgedTotal[] = results.map((r) => ({
    i: agingBucket(r.due_on, asOf),
    currency: r.currency,
    amount: r.amount,
  }));
  return agingRows(totals);
}
