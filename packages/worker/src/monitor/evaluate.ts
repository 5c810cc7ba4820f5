import type { Query, Row } from "../analytics/queries";

/** `page` wakes a person (PagerDuty `critical`); `ticket` waits for working hours (`warning`). */
export type Severity = "page" | "ticket";

export interface Verdict {
  firing: boolean;
  /** One line for the pager: what is wrong, with the numbers that say so. */
  summary: string;
  details: Record<string, number | string>;
}

/**
 * One alert rule of docs/operations.md: a described query, run once per window (each ending
 * now), and the thresholds and minimum counts that decide from those rows whether it fires.
 */
export interface Rule {
  /** Also PagerDuty's dedup_key, so one incident per rule. */
  name: string;
  severity: Severity;
  query: Query;
  /** Seconds back from now; `check` gets one array of rows per window, in this order. */
  windows: readonly number[];
  check(rows: readonly (readonly Row[])[]): Verdict;
}

/** Whether a rule fires on the rows its windows gave; pure, so thresholds are tested without a store. */
export function evaluate(rule: Rule, rows: readonly (readonly Row[])[]): Verdict {
  if (rows.length !== rule.windows.length) {
    throw new Error(`${rule.name} takes ${rule.windows.length} windows of rows, got ${rows.length}`);
  }
  return rule.check(rows);
}

/**
 * A measure of the single row an ungrouped query gives; 0 when the store gave no row or no
 * value (no points in the window), as normalise() does for an absent measure.
 */
export function total(rows: readonly Row[], measure: string): number {
  return Number(rows[0]?.[measure] ?? 0);
}

/** `part / whole`, 0 when there is no whole, so an idle window never fires a rate rule. */
export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export const percent = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;
