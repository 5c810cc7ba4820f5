import { type RollupGrain, segments } from "@tranche/shared";
import type { AuthContext } from "../../env";
import { OWED_OUTCOMES } from "../rules/outcome";

/** Far enough back that no book starts before it; the opening balance sums from here. */
export const BEGINNING = "0000-01-01T00:00:00.000Z";
/** Far enough ahead that nothing falls due after it. */
export const END_OF_TIME = "9999-12-01T00:00:00.000Z";

export interface Range {
  start: string;
  end: string;
}

/**
 * One rollup table and the raw table it rolls up: which column is the instant the rows are
 * bucketed by, and which columns a report groups and sums.
 */
interface RollupSource {
  rollup: string;
  /** The grains the rollup table keeps, coarsest first (the migration's triggers write these). */
  grains: readonly RollupGrain[];
  raw: string;
  /** The raw table's instant column (the rollup's `bucket` is derived from it). */
  rawInstant: string;
  keys: readonly string[];
  /** Each summed column as `[name, its value in a rollup row, its value in a raw row]`. */
  sums: readonly (readonly [string, string, string])[];
  /** An extra condition both tables share, e.g. only owed outcomes. */
  where?: string;
}

export const LEDGER: RollupSource = {
  rollup: "ledger_rollups",
  // A quarter hour of ledger lines (a 30- or 45-minute zone's edge) is few enough to read raw.
  grains: ["m", "d", "h"],
  raw: "ledger_entries",
  rawInstant: "created_at",
  keys: ["currency", "event", "account"],
  sums: [["amount", "t.amount", "t.amount"]],
};

export const COLLECTIONS: RollupSource = {
  rollup: "collection_rollups",
  // The installments due within a day are few, and each state change rewrites its rollups twice.
  grains: ["m", "d"],
  raw: "installments",
  rawInstant: "due_at",
  keys: ["currency", "outcome"],
  sums: [
    ["count", "t.count", "1"],
    ["amount", "t.amount", "t.amount"],
  ],
  where: "t.outcome <> 'none'",
};

/** The outcomes still receivable, as SQL over a table aliased `t`. */
export const OWED_CONDITION = `t.outcome IN (${[...OWED_OUTCOMES].map((o) => `'${o}'`).join(", ")})`;

/** What is owed, by due date: the aging report's book. */
export const OWED: RollupSource = { ...COLLECTIONS, where: OWED_CONDITION };

/**
 * Sums a source over many instant ranges at once, in one statement: each range is the signed sum of
 * runs of whole buckets (`segments`) read from the rollup table, and of slivers finer than its
 * finest grain read from the raw rows. The work is a few rollup rows per
 * range, however many raw rows lie inside it. Rows come back with `i`, the index of their range;
 * keys whose sums are all zero are left out.
 */
export async function sumRanges<Row>(
  db: D1Database,
  source: RollupSource,
  auth: AuthContext,
  ranges: readonly Range[],
  currency: string | undefined,
): Promise<(Row & { i: number })[]> {
  const segs = JSON.stringify(segments(ranges, source.grains).map((s) => [s.grain, s.from, s.to, s.index, s.sign]));
  const keys = source.keys.join(", ");
  const branch = (table: string, sums: string, match: string) =>
    `SELECT s.i AS i, ${source.keys.map((k) => `t.${k}`).join(", ")}, ${sums} FROM s CROSS JOIN ${table} t
     WHERE t.merchant_id = ?2 AND t.livemode = ?3 AND ${match} AND (?4 IS NULL OR t.currency = ?4) ${source.where ? `AND ${source.where}` : ""}
     GROUP BY 1, ${source.keys.map((_, k) => k + 2).join(", ")}`;
  const sql = `WITH s AS (SELECT value ->> 0 AS grain, value ->> 1 AS a, value ->> 2 AS b, value ->> 3 AS i, value ->> 4 AS sign
      FROM json_each(?1))
    SELECT i, ${keys}, ${source.sums.map(([name]) => `SUM(${name}) AS ${name}`).join(", ")} FROM (
      ${branch(
        source.rollup,
        source.sums.map(([name, rollup]) => `SUM(${rollup} * s.sign) AS ${name}`).join(", "),
        "s.grain <> 'raw' AND t.grain = s.grain AND t.bucket >= s.a AND t.bucket < s.b",
      )}
      UNION ALL
      ${branch(
        source.raw,
        source.sums.map(([name, , raw]) => `SUM(${raw} * s.sign) AS ${name}`).join(", "),
        `s.grain = 'raw' AND t.${source.rawInstant} >= s.a AND t.${source.rawInstant} < s.b`,
      )})
    GROUP BY i, ${keys} HAVING ${source.sums.map(([name]) => `${name} <> 0`).join(" OR ")}`;
  const { results } = await db
    .prepare(sql)
    .bind(segs, auth.merchantId, auth.livemode ? 1 : 0, currency ?? null)
    .all<Row & { i: number }>();
  return results;
}
