import { describe, expect, it } from "vitest";
import operations from "../../../docs/operations.md?raw";
import type { Row } from "../src/analytics/queries";
import { renderEngine } from "../src/analytics/render-ae";
import { evaluate } from "../src/monitor/evaluate";
import { RULES } from "../src/monitor/rules";

function rule(name: string) {
  const found = RULES.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
}

const fires = (name: string, ...windows: Row[][]) => evaluate(rule(name), windows).firing;

describe("the alert rules' thresholds and minimum counts", () => {
  it("error_rate: over 0.72% in the hour and the last 5 minutes, with at least 100 requests", () => {
    const over = { requests: 1000, server_errors: 8 };
    expect(fires("error_rate", [over], [over])).toBe(true);
    expect(fires("error_rate", [{ requests: 1000, server_errors: 7 }], [over])).toBe(false);
    expect(fires("error_rate", [over], [{ requests: 50, server_errors: 0 }])).toBe(false);
    expect(fires("error_rate", [{ requests: 99, server_errors: 99 }], [over])).toBe(false);
    expect(fires("error_rate_6h", [{ requests: 1000, server_errors: 4 }])).toBe(true);
    expect(fires("error_rate_6h", [{ requests: 1000, server_errors: 3 }])).toBe(false);
  });

  it("p99_latency: checkout p99 over 2 s with at least 50 requests; latency_slo: any route over its SLO", () => {
    expect(fires("p99_latency", [{ requests: 50, p99_ms: 2001 }])).toBe(true);
    expect(fires("p99_latency", [{ requests: 49, p99_ms: 9000 }])).toBe(false);
    expect(fires("p99_latency", [{ requests: 500, p99_ms: 2000 }])).toBe(false);
    const route = (method: string, path: string, p99_ms: number, requests = 50) => ({
      method,
      route: path,
      requests,
      p99_ms,
    });
    expect(fires("latency_slo", [route("POST", "/v1/purchases", 1000), route("GET", "/v1/purchases", 300)])).toBe(
      false,
    );
    expect(fires("latency_slo", [route("GET", "/v1/purchases", 301)])).toBe(true);
    expect(fires("latency_slo", [route("GET", "/v1/purchases", 301, 49)])).toBe(false);
  });

  it("failed_payments: over 2% of live charges unanswered with at least 50; decline_rate: twice the week's", () => {
    expect(fires("failed_payments", [{ attempted: 50, not_answered: 2 }])).toBe(true);
    expect(fires("failed_payments", [{ attempted: 50, not_answered: 1 }])).toBe(false);
    expect(fires("failed_payments", [{ attempted: 49, not_answered: 49 }])).toBe(false);
    const week = [{ attempted: 10_000, declined: 1000 }];
    expect(fires("decline_rate", [{ attempted: 100, declined: 21 }], week)).toBe(true);
    expect(fires("decline_rate", [{ attempted: 100, declined: 20 }], week)).toBe(false);
    expect(fires("decline_rate", [{ attempted: 99, declined: 99 }], week)).toBe(false);
  });

  it("alarm_lag: p99 over 60 s with at least 20 alarms, or any alarm over 15 minutes late", () => {
    expect(fires("alarm_lag", [{ alarms: 20, p99_lag_ms: 60_001, max_lag_ms: 60_001 }])).toBe(true);
    expect(fires("alarm_lag", [{ alarms: 19, p99_lag_ms: 60_001, max_lag_ms: 60_001 }])).toBe(false);
    expect(fires("alarm_lag", [{ alarms: 1, p99_lag_ms: 900_001, max_lag_ms: 900_001 }])).toBe(true);
  });

  it("projection_backlog: over 50 pushes behind or one object over 200 rows; d1_write_rate: over 100 writes/s", () => {
    const merchant = (behind: number, largest: number) => ({ merchant: "m", behind, largest });
    expect(fires("projection_backlog", [merchant(30, 10), merchant(21, 10)])).toBe(true);
    expect(fires("projection_backlog", [merchant(30, 10), merchant(20, 10)])).toBe(false);
    expect(fires("projection_backlog", [merchant(1, 201)])).toBe(true);
    expect(fires("d1_write_rate", [{ writes: 60_001 }])).toBe(true);
    expect(fires("d1_write_rate", [{ writes: 60_000 }])).toBe(false);
  });

  it("webhook_backlog: over 10% of reporting merchants over 100 pending; one merchant over 1,000 is a ticket", () => {
    const merchants = (stuck: number, fine: number) => [
      ...Array.from({ length: stuck }, (_, i) => ({ merchant: `s${i}`, behind: 1, largest: 101 })),
      ...Array.from({ length: fine }, (_, i) => ({ merchant: `f${i}`, behind: 1, largest: 100 })),
    ];
    expect(fires("webhook_backlog", merchants(1, 8))).toBe(true);
    expect(fires("webhook_backlog", merchants(1, 9))).toBe(false);
    expect(fires("webhook_merchant_backlog", [{ merchant: "m", behind: 1, largest: 1001 }])).toBe(true);
    expect(fires("webhook_merchant_backlog", [{ merchant: "m", behind: 1, largest: 1000 }])).toBe(false);
  });

  it("an idle store, no rows or zero counts in every window, fires nothing", () => {
    for (const r of RULES) {
      expect(
        evaluate(
          r,
          r.windows.map(() => []),
        ).firing,
        r.name,
      ).toBe(false);
      expect(
        evaluate(
          r,
          r.windows.map(() => [{}]),
        ).firing,
        r.name,
      ).toBe(false);
    }
  });

  it("refuses rows for a different number of windows than the rule runs", () => {
    expect(() => evaluate(rule("error_rate"), [[]])).toThrow(/2 windows/);
  });
});

describe("docs/operations.md", () => {
  it("lists exactly the rules in code, each with its severity", () => {
    const listed = [...operations.matchAll(/^\| `([a-z0-9_]+)` +\| (page|ticket) /gm)].map(([, name, severity]) => ({
      name,
      severity,
    }));
    expect(listed).toEqual(RULES.map((r) => ({ name: r.name, severity: r.severity })));
  });
});

describe("the rules on Analytics Engine", () => {
  const window = { from: new Date("2026-03-01T11:45:00Z"), to: new Date("2026-03-01T12:00:00Z") };

  it("read every merchant in both modes, with the doc's measures", () => {
    expect(renderEngine(rule("alarm_lag").query, window)).toBe(
      [
        "SELECT SUM(_sample_interval) AS alarms, quantileExactWeighted(0.99)(double2, _sample_interval) AS p99_lag_ms, MAX(double2) AS max_lag_ms",
        "FROM tranche_events",
        "WHERE blob1 = 'alarm' AND timestamp >= toDateTime(1772365500) AND timestamp < toDateTime(1772366400)",
        "FORMAT JSON",
      ].join("\n"),
    );
    expect(renderEngine(rule("d1_write_rate").query, window)).toContain("AND blob7 != 'GET'\n");
  });
});
