import type { AgingRow, CollectionsRow, Period, SettlementRow } from "@tranche/shared";
import type { AuthContext } from "../../env";
import { type AgedTotal, agingBucket, agingRanges, agingRows } from "../rules/aging";
import { collectionsRows, type OutcomeTotal } from "../rules/collections";
import { type LedgerTotal, settlementRows } from "../rules/settlement";
import { BEGINNING, COLLECTIONS, END_OF_TIME, LEDGER, OWED, OWED_CONDITION, sumRanges } from "./rollups";

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
  const totals = await sumRanges<AgedTotal>(db, OWED, auth, agingRanges(asOf, BEGINNING, END_OF_TIME), currency);
  return agingRows(totals.map((t) => ({ i: Number(t.i), currency: t.currency, amount: t.amount })));
}

/** What is owed now by UTC due day: the collection rollups' day buckets of the owed outcomes. */
const OWED_NOW = `SELECT t.currency, substr(t.bucket, 1, 10) AS due_on, t.amount FROM collection_rollups t
  WHERE t.merchant_id = ?1 AND t.livemode = ?2 AND t.grain = 'd' AND ${OWED_CONDITION}
  AND (?5 IS NULL OR t.currency = ?5)`;

/**
 * The book as it stood at `asOf`, rebuilt from the receivable's history by whichever way reads
 * fewer days of it: forward, every change of the days before as_of's date; or backward, what is
 * owed now less every change from that date on. Either way the changes of as_of's own date up to
 * the instant are read one by one.
 */
export async function agingAsOf(
  db: D1Database,
  auth: AuthContext,
  asOf: Date,
  currency: string | undefined,
): Promise<AgingRow[]> {
  const day = asOf.toISOString().slice(0, 10);
  const scope = "merchant_id = ?1 AND livemode = ?2";
  const span = await db
    .prepare(
      `SELECT (SELECT MIN(changed_on) FROM receivable_history WHERE ${scope}) AS first,
              (SELECT MAX(changed_on) FROM receivable_history WHERE ${scope}) AS last`,
    )
    .bind(auth.merchantId, auth.livemode ? 1 : 0)
    .first<{ first: string | null; last: string | null }>();
  const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
  const backward = !!span?.first && !!span.last && days(day, span.last) < days(span.first, day);
  const history = backward
    ? `${OWED_NOW} UNION ALL SELECT currency, due_on, -amount FROM receivable_history
         WHERE ${scope} AND changed_on >= ?3 AND (?5 IS NULL OR currency = ?5)`
    : `SELECT currency, due_on, amount FROM receivable_history
         WHERE ${scope} AND changed_on < ?3 AND (?5 IS NULL OR currency = ?5)`;
  const { results } = await db
    .prepare(
      `SELECT currency, due_on, SUM(amount) AS amount FROM (
         ${history}
         UNION ALL
         SELECT currency, due_on, amount FROM receivable_changes
         WHERE ${scope} AND at >= ?3 AND at < ?4 AND (?5 IS NULL OR currency = ?5))
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
