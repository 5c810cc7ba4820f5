import { type DataPoint, encode, type MoneyPoint, type RequestPoint } from "../src/analytics/points";
import type { Scope } from "../src/analytics/queries";

/**
 * One set of data points, stamped and weighted (a weight above 1 is a point Analytics Engine
 * sampled), the window the tests query, and Analytics Engine's answers to the described queries
 * over these points in its documented JSON: 64-bit counts quoted as strings, time buckets as
 * `YYYY-MM-DD hh:mm:ss`.
 */

export const MERCHANT = "mer_01JDQ8Z6W2N8X4C2V7B5K9M3PD";
export const SCOPE: Scope = {
  merchantId: MERCHANT,
  mode: "test",
  from: new Date("2026-01-01T00:00:00Z"),
  to: new Date("2026-01-03T00:00:00Z"),
};

export interface Stored {
  at: string;
  weight: number;
  point: DataPoint;
}

/** Stores points with their own times and sample intervals, which the sink (always now, always 1) cannot write. */
export async function storePoints(db: D1Database, points: readonly Stored[]): Promise<void> {
  await db.batch(
    points.map(({ at, weight, point }) => {
      const { indexes, blobs, doubles } = encode(point);
      return db
        .prepare(
          `INSERT INTO analytics_local (timestamp, _sample_interval, index1, blob1, blob2, blob3, blob4, blob5, blob6, blob7,
           blob8, double1, double2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(at, weight, ...indexes, ...blobs, ...doubles);
    }),
  );
}

function money(at: string, fields: Partial<MoneyPoint> & Pick<MoneyPoint, "event" | "amount">, weight = 1): Stored {
  const point: MoneyPoint = {
    kind: "money",
    merchantId: MERCHANT,
    mode: "test",
    currency: "EUR",
    planType: "pay_in_n",
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    ...fields,
  };
  return { at, weight, point };
}

function request(at: string, method: string, route: string, status: number, latencyMs: number, weight = 1): Stored {
  const point: RequestPoint = {
    kind: "request",
    merchantId: MERCHANT,
    mode: "test",
    method,
    route,
    status,
    latencyMs,
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  };
  return { at, weight, point };
}

const declined = (code: string) => ({ event: "charge.declined" as const, declineCode: code });

export const POINTS: Stored[] = [
  money("2026-01-01 10:15:00", { event: "capture", amount: 12000 }),
  money("2026-01-01 10:15:00", { event: "charge.attempted", amount: 3000 }),
  money("2026-01-01 10:15:01", { event: "charge.succeeded", amount: 3000 }),
  money("2026-01-01 11:00:00", { event: "charge.attempted", amount: 5000, planType: "pay_in_full" }, 2),
  money("2026-01-01 11:00:00", { ...declined("insufficient_funds"), amount: 5000, planType: "pay_in_full" }, 2),
  money("2026-01-02 09:00:00", { event: "charge.attempted", amount: 20000, currency: "SEK", planType: "pay_in_full" }),
  money("2026-01-02 09:00:00", { ...declined("stolen_card"), amount: 20000, currency: "SEK", planType: "pay_in_full" }),
  money("2026-01-02 09:30:00", { event: "refund", amount: 1000 }),
  request("2026-01-01 10:00:00", "POST", "/v1/purchases", 201, 10),
  request("2026-01-01 10:00:01", "POST", "/v1/purchases", 500, 1000),
  request("2026-01-01 10:00:02", "POST", "/v1/purchases", 201, 30),
  request("2026-01-01 10:00:03", "POST", "/v1/purchases", 402, 40),
  request("2026-01-01 10:00:04", "POST", "/v1/purchases", 201, 20),
  request("2026-01-01 10:01:00", "GET", "/v1/purchases/:id", 200, 5, 10),
  request("2026-01-01 10:01:00", "GET", "/v1/purchases/:id", 404, 50),
  request("2026-01-01 10:01:00", "GET", "/v1/purchases/:id", 200, 500),
  ...[4, 3, 2, 1].map((ms) => request("2026-01-02 08:00:00", "POST", "/v1/customers", 201, ms)),
  // Outside the scope: another merchant, live mode, before and at the window's ends, no key.
  money("2026-01-01 12:00:00", { event: "capture", amount: 999, merchantId: "mer_other" }),
  money("2026-01-01 12:00:00", { event: "capture", amount: 888, mode: "live" }),
  money("2025-12-31 23:59:59", { event: "capture", amount: 666 }),
  money("2026-01-03 00:00:00", { event: "capture", amount: 777 }),
  {
    at: "2026-01-01 10:00:00",
    weight: 1,
    point: {
      kind: "request",
      merchantId: undefined,
      mode: undefined,
      traceId: "",
      method: "GET",
      route: "/health",
      status: 200,
      latencyMs: 1,
    },
  },
];

const column = (name: string, type: string) => ({ name, type });

/** Analytics Engine's answer to `paymentsOverTime({ granularity: "day" })` over POINTS. */
export const ENGINE_PAYMENTS_BY_DAY = {
  meta: [
    column("start", "DateTime"),
    column("event", "String"),
    column("currency", "String"),
    column("count", "UInt64"),
    column("amount", "Float64"),
  ],
  data: [
    { start: "2026-01-01 00:00:00", event: "capture", currency: "EUR", count: "1", amount: 12000 },
    { start: "2026-01-01 00:00:00", event: "charge.attempted", currency: "EUR", count: "3", amount: 13000 },
    { start: "2026-01-01 00:00:00", event: "charge.declined", currency: "EUR", count: "2", amount: 10000 },
    { start: "2026-01-01 00:00:00", event: "charge.succeeded", currency: "EUR", count: "1", amount: 3000 },
    { start: "2026-01-02 00:00:00", event: "charge.attempted", currency: "SEK", count: "1", amount: 20000 },
    { start: "2026-01-02 00:00:00", event: "charge.declined", currency: "SEK", count: "1", amount: 20000 },
    { start: "2026-01-02 00:00:00", event: "refund", currency: "EUR", count: "1", amount: 1000 },
  ],
  rows: 7,
};

/** … to `paymentsOverTime({ granularity: "hour", planType: "pay_in_full" })`. */
export const ENGINE_PAY_IN_FULL_BY_HOUR = {
  meta: ENGINE_PAYMENTS_BY_DAY.meta,
  data: [
    { start: "2026-01-01 11:00:00", event: "charge.attempted", currency: "EUR", count: "2", amount: 10000 },
    { start: "2026-01-01 11:00:00", event: "charge.declined", currency: "EUR", count: "2", amount: 10000 },
    { start: "2026-01-02 09:00:00", event: "charge.attempted", currency: "SEK", count: "1", amount: 20000 },
    { start: "2026-01-02 09:00:00", event: "charge.declined", currency: "SEK", count: "1", amount: 20000 },
  ],
  rows: 4,
};

/** … to `chargeOutcomes({})`. */
export const ENGINE_CHARGE_OUTCOMES = {
  meta: [
    column("plan_type", "String"),
    column("event", "String"),
    column("decline_code", "String"),
    column("count", "UInt64"),
  ],
  data: [
    { plan_type: "pay_in_full", event: "charge.attempted", decline_code: "", count: "3" },
    { plan_type: "pay_in_full", event: "charge.declined", decline_code: "insufficient_funds", count: "2" },
    { plan_type: "pay_in_full", event: "charge.declined", decline_code: "stolen_card", count: "1" },
    { plan_type: "pay_in_n", event: "charge.attempted", decline_code: "", count: "1" },
    { plan_type: "pay_in_n", event: "charge.succeeded", decline_code: "", count: "1" },
  ],
  rows: 5,
};

/** … to `requestsByRoute`. */
export const ENGINE_REQUESTS_BY_ROUTE = {
  meta: [
    column("route", "String"),
    column("method", "String"),
    column("requests", "UInt64"),
    column("server_errors", "UInt64"),
    column("client_errors", "UInt64"),
    column("p50", "Float64"),
    column("p95", "Float64"),
    column("p99", "Float64"),
  ],
  data: [
    {
      route: "/v1/customers",
      method: "POST",
      requests: "4",
      server_errors: "0",
      client_errors: "0",
      p50: 2,
      p95: 4,
      p99: 4,
    },
    {
      route: "/v1/purchases",
      method: "POST",
      requests: "5",
      server_errors: "1",
      client_errors: "1",
      p50: 30,
      p95: 1000,
      p99: 1000,
    },
    {
      route: "/v1/purchases/:id",
      method: "GET",
      requests: "12",
      server_errors: "0",
      client_errors: "1",
      p50: 5,
      p95: 500,
      p99: 500,
    },
  ],
  rows: 3,
};
