import type { Condition, Query, Row } from "../analytics/queries";
import { requestsByRoute, SERVER_ERROR } from "../analytics/queries";
import { percent, type Rule, ratio, total } from "./evaluate";

/**
 * The alert rules of docs/operations.md ("Alerts"), defined here once: the doc's SQL is what
 * these queries render to on Analytics Engine, and this file is the source of truth for the
 * thresholds. Windows run over every merchant in both modes unless a rule filters on mode.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const requestErrors: Query = {
  kind: "request",
  where: [],
  groupBy: [],
  measures: [
    { as: "requests", count: true },
    { as: "server_errors", count: true, where: [SERVER_ERROR] },
  ],
};

const errorRate = (rows: readonly Row[]) => ratio(total(rows, "server_errors"), total(rows, "requests"));

/** 14.4× and 6× the availability SLO's 0.05% budget: the burn-rate thresholds of the doc. */
const FAST_BURN = 14.4 * 0.0005;
const SLOW_BURN = 6 * 0.0005;

const errorRatePage: Rule = {
  name: "error_rate",
  severity: "page",
  query: requestErrors,
  windows: [HOUR, 5 * MINUTE],
  check([hour = [], recent = []]) {
    const requests = total(hour, "requests");
    const [long, short] = [errorRate(hour), errorRate(recent)];
    return {
      firing: requests >= 100 && long > FAST_BURN && short > FAST_BURN,
      summary: `5xx rate ${percent(long)} over 1 h (${requests} requests), ${percent(short)} over 5 min`,
      details: { requests_1h: requests, error_rate_1h: long, error_rate_5m: short, threshold: FAST_BURN },
    };
  },
};

const errorRateTicket: Rule = {
  name: "error_rate_6h",
  severity: "ticket",
  query: requestErrors,
  windows: [6 * HOUR],
  check([rows = []]) {
    const rate = errorRate(rows);
    return {
      firing: rate > SLOW_BURN,
      summary: `5xx rate ${percent(rate)} over 6 h`,
      details: { requests_6h: total(rows, "requests"), error_rate_6h: rate, threshold: SLOW_BURN },
    };
  },
};

const PURCHASES: Condition[] = [
  { field: "name", op: "=", value: "/v1/purchases" },
  { field: "method", op: "=", value: "POST" },
];

const latencyPage: Rule = {
  name: "p99_latency",
  severity: "page",
  query: {
    kind: "request",
    where: PURCHASES,
    groupBy: [],
    measures: [
      { as: "requests", count: true },
      { as: "p99_ms", quantile: 0.99, of: "latency_ms" },
    ],
  },
  windows: [15 * MINUTE],
  check([rows = []]) {
    const [requests, p99] = [total(rows, "requests"), total(rows, "p99_ms")];
    return {
      firing: requests >= 50 && p99 > 2000,
      summary: `POST /v1/purchases p99 ${p99} ms over 15 min (${requests} requests)`,
      details: { requests, p99_ms: p99, threshold_ms: 2000 },
    };
  },
};

/** The latency SLO per route: checkout charges at capture, so it gets more time. */
const sloMs = (row: Row) => (row.method === "POST" && row.route === "/v1/purchases" ? 1000 : 300);

const latencyTicket: Rule = {
  name: "latency_slo",
  severity: "ticket",
  query: requestsByRoute,
  windows: [HOUR],
  check([rows = []]) {
    const slow = rows.filter((r) => Number(r.requests) >= 50 && Number(r.p99_ms) > sloMs(r));
    const named = slow.map((r) => `${r.method} ${r.route} ${r.p99_ms} ms`);
    return {
      firing: slow.length > 0,
      summary: `p99 over the SLO for 1 h: ${named.join(", ") || "none"}`,
      details: { routes: named.join(", ") },
    };
  },
};

const charges: Query = {
  kind: "money",
  where: [
    { field: "mode", op: "=", value: "live" },
    { field: "name", op: "in", values: ["charge.attempted", "charge.declined"] },
  ],
  groupBy: [],
  measures: [
    { as: "attempted", count: true, where: [{ field: "name", op: "=", value: "charge.attempted" }] },
    { as: "declined", count: true, where: [{ field: "name", op: "=", value: "charge.declined" }] },
    {
      as: "not_answered",
      count: true,
      where: [
        { field: "name", op: "=", value: "charge.declined" },
        { field: "status", op: "in", values: ["processor_error", "timeout"] },
      ],
    },
  ],
};

const failedPayments: Rule = {
  name: "failed_payments",
  severity: "page",
  query: charges,
  windows: [HOUR],
  check([rows = []]) {
    const attempted = total(rows, "attempted");
    const rate = ratio(total(rows, "not_answered"), attempted);
    return {
      firing: attempted >= 50 && rate > 0.02,
      summary: `${percent(rate)} of ${attempted} live charges got no answer from the processor over 1 h`,
      details: { attempted, not_answered: total(rows, "not_answered"), rate, threshold: 0.02 },
    };
  },
};

const declineRate: Rule = {
  name: "decline_rate",
  severity: "ticket",
  query: charges,
  windows: [HOUR, 7 * DAY],
  check([hour = [], week = []]) {
    const attempted = total(hour, "attempted");
    const [now, usual] = [
      ratio(total(hour, "declined"), attempted),
      ratio(total(week, "declined"), total(week, "attempted")),
    ];
    return {
      firing: attempted >= 100 && now > 2 * usual,
      summary: `live decline rate ${percent(now)} over 1 h (${attempted} charges), ${percent(usual)} over 7 days`,
      details: { attempted_1h: attempted, decline_rate_1h: now, decline_rate_7d: usual },
    };
  },
};

const alarmLag: Rule = {
  name: "alarm_lag",
  severity: "page",
  query: {
    kind: "alarm",
    where: [],
    groupBy: [],
    measures: [
      { as: "alarms", count: true },
      { as: "p99_lag_ms", quantile: 0.99, of: "latency_ms" },
      { as: "max_lag_ms", max: "latency_ms" },
    ],
  },
  windows: [15 * MINUTE],
  check([rows = []]) {
    const [alarms, p99, max] = [total(rows, "alarms"), total(rows, "p99_lag_ms"), total(rows, "max_lag_ms")];
    return {
      firing: (alarms >= 20 && p99 > 60_000) || max > 15 * 60_000,
      summary: `alarm lag p99 ${Math.round(p99 / 1000)} s, max ${Math.round(max / 1000)} s over 15 min (${alarms} alarms)`,
      details: { alarms, p99_lag_ms: p99, max_lag_ms: max },
    };
  },
};

const backlogByMerchant = (queue: "projection" | "webhook"): Query => ({
  kind: "backlog",
  where: [{ field: "name", op: "=", value: queue }],
  groupBy: [{ as: "merchant", field: "merchant" }],
  measures: [
    { as: "behind", count: true },
    { as: "largest", max: "amount" },
  ],
});

const projectionBacklog: Rule = {
  name: "projection_backlog",
  severity: "page",
  query: backlogByMerchant("projection"),
  windows: [10 * MINUTE],
  check([rows = []]) {
    const behind = rows.reduce((sum, r) => sum + Number(r.behind), 0);
    const largest = Math.max(0, ...rows.map((r) => Number(r.largest)));
    return {
      firing: behind > 50 || largest > 200,
      summary: `${behind} pushes left rows unprojected over 10 min, largest ${largest}, ${rows.length} merchants`,
      details: { behind, largest, merchants: rows.length },
    };
  },
};

const writeRate: Rule = {
  name: "d1_write_rate",
  severity: "ticket",
  query: {
    kind: "request",
    where: [{ field: "method", op: "!=", value: "GET" }],
    groupBy: [],
    measures: [{ as: "writes", count: true }],
  },
  windows: [10 * MINUTE],
  check([rows = []]) {
    const perSecond = total(rows, "writes") / (10 * MINUTE);
    return {
      firing: perSecond > 100,
      summary: `${perSecond.toFixed(1)} write requests per second over 10 min`,
      details: { writes_per_second: perSecond, threshold: 100 },
    };
  },
};

const webhookBacklog: Rule = {
  name: "webhook_backlog",
  severity: "page",
  query: backlogByMerchant("webhook"),
  windows: [30 * MINUTE],
  check([rows = []]) {
    const stuck = rows.filter((r) => Number(r.largest) > 100).length;
    return {
      firing: ratio(stuck, rows.length) > 0.1,
      summary: `${stuck} of ${rows.length} merchants have over 100 webhook deliveries pending`,
      details: { stuck, merchants: rows.length },
    };
  },
};

const webhookMerchantBacklog: Rule = {
  name: "webhook_merchant_backlog",
  severity: "ticket",
  query: backlogByMerchant("webhook"),
  windows: [30 * MINUTE],
  check([rows = []]) {
    const stuck = rows.filter((r) => Number(r.largest) > 1000).map((r) => String(r.merchant));
    return {
      firing: stuck.length > 0,
      summary: `over 1,000 webhook deliveries pending for ${stuck.join(", ") || "no merchant"}`,
      details: { merchants: stuck.join(", ") },
    };
  },
};

export const RULES: readonly Rule[] = [
  errorRatePage,
  errorRateTicket,
  latencyPage,
  latencyTicket,
  failedPayments,
  declineRate,
  alarmLag,
  projectionBacklog,
  writeRate,
  webhookBacklog,
  webhookMerchantBacklog,
];
