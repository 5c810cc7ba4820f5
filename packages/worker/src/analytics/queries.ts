import type { MoneyEvent } from "@tranche/shared";
import type { DataPoint, Mode, NumberField, TextField } from "./points";

/**
 * Each analytics query is described once, as data: what it counts, filters and groups by.
 * `render-ae.ts` turns a description into Analytics Engine SQL and `render-local.ts` into the
 * local store's SQLite, so both backends answer the same question by construction. A query
 * reads one table with no joins, since Analytics Engine allows nothing else.
 */

export type Granularity = "hour" | "day";

/** When: every query has one. */
export interface TimeWindow {
  /** Inclusive, truncated to the second (the stores' precision). */
  from: Date;
  /** Exclusive, rounded up to the second, so a point written this second is in. */
  to: Date;
}

/** Whose data and when. Every rendering applies all of it, so no query can see past a merchant's mode. */
export interface Scope extends TimeWindow {
  merchantId: string;
  mode: Mode;
}

/**
 * A bare time window reads every merchant in both modes: only the monitor's alert rules run
 * queries so, never an API route (those always build a Scope from the caller's key).
 */
export type Reach = Scope | TimeWindow;

export type Condition =
  | { field: TextField; op: "=" | "!=" | ">=" | "<"; value: string }
  | { field: TextField; op: "in"; values: readonly string[] };

export type Dimension = { as: string; field: TextField } | { as: string; bucket: Granularity };

/**
 * Counts and sums are weighted by each point's sample interval; quantiles too. A max is not:
 * sampling drops points and weights the kept ones, but never changes a kept point's value.
 */
export type Measure =
  | { as: string; count: true; where?: readonly Condition[] }
  | { as: string; sum: NumberField }
  | { as: string; max: NumberField }
  | { as: string; quantile: number; of: NumberField };

export interface Query {
  kind: DataPoint["kind"];
  where: readonly Condition[];
  /** Also the order of the rows. */
  groupBy: readonly Dimension[];
  measures: readonly Measure[];
}

export type Row = Record<string, string | number | null>;

export interface PaymentFilters {
  currency?: string | undefined;
  planType?: string | undefined;
}

function paymentConditions(f: PaymentFilters): Condition[] {
  const where: Condition[] = [];
  if (f.currency) where.push({ field: "currency", op: "=", value: f.currency });
  if (f.planType) where.push({ field: "plan_type", op: "=", value: f.planType });
  return where;
}

/** Money events per time bucket: how many, and their value, per event and currency. */
export function paymentsOverTime(f: PaymentFilters & { granularity: Granularity }): Query {
  return {
    kind: "money",
    where: paymentConditions(f),
    groupBy: [
      { as: "start", bucket: f.granularity },
      { as: "event", field: "name" },
      { as: "currency", field: "currency" },
    ],
    measures: [
      { as: "count", count: true },
      { as: "amount", sum: "amount" },
    ],
  };
}

const CHARGE_EVENTS = ["charge.attempted", "charge.succeeded", "charge.declined"] as const satisfies MoneyEvent[];

/** Charge attempts and their outcomes per plan type and decline code, for success and decline rates. */
export function chargeOutcomes(f: PaymentFilters): Query {
  return {
    kind: "money",
    where: [{ field: "name", op: "in", values: CHARGE_EVENTS }, ...paymentConditions(f)],
    groupBy: [
      { as: "plan_type", field: "plan_type" },
      { as: "event", field: "name" },
      { as: "decline_code", field: "status" },
    ],
    measures: [{ as: "count", count: true }],
  };
}

/** Status codes are three digits, so their text order is their numeric order. */
export const SERVER_ERROR: Condition = { field: "status", op: ">=", value: "500" };
const CLIENT_ERROR: Condition[] = [
  { field: "status", op: ">=", value: "400" },
  { field: "status", op: "<", value: "500" },
];

/** Per route: requests, errors, and latency percentiles. */
export const requestsByRoute: Query = {
  kind: "request",
  where: [],
  groupBy: [
    { as: "route", field: "name" },
    { as: "method", field: "method" },
  ],
  measures: [
    { as: "requests", count: true },
    { as: "server_errors", count: true, where: [SERVER_ERROR] },
    { as: "client_errors", count: true, where: CLIENT_ERROR },
    { as: "p50", quantile: 0.5, of: "latency_ms" },
    { as: "p95", quantile: 0.95, of: "latency_ms" },
    { as: "p99", quantile: 0.99, of: "latency_ms" },
  ],
};

/** Seconds since the epoch of the scope's bounds, as both stores compare them. */
export function scopeSeconds(scope: TimeWindow): { from: number; to: number } {
  return { from: Math.floor(scope.from.getTime() / 1000), to: Math.ceil(scope.to.getTime() / 1000) };
}

/** Both stores name a second as `YYYY-MM-DD hh:mm:ss` in UTC. */
export const storeTime = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");

/**
 * Rows as the API uses them, whichever store answered: time buckets as ISO timestamps, every
 * measure a number (an absent one, 0). Throws on a bucket that is no time.
 */
export function normalise(query: Query, rows: readonly Row[]): Row[] {
  return rows.map((row) => {
    const out: Row = {};
    for (const d of query.groupBy) {
      const value = row[d.as];
      out[d.as] = "bucket" in d ? bucketStart(value) : String(value ?? "");
    }
    for (const m of query.measures) out[m.as] = Number(row[m.as] ?? 0);
    return out;
  });
}

/** Both stores write `YYYY-MM-DD hh:mm:ss` in UTC; ClickHouse gives a plain `YYYY-MM-DD` for a Date. */
function bucketStart(value: Row[string] | undefined): string {
  const match = /^(\d{4}-\d\d-\d\d)(?: (\d\d:\d\d:\d\d))?$/.exec(String(value));
  if (!match) throw new Error(`'${value}' is not a time bucket`);
  return new Date(`${match[1]}T${match[2] ?? "00:00:00"}Z`).toISOString();
}
