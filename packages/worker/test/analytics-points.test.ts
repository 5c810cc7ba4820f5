import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type DataPoint, encode, moneyPoint } from "../src/analytics/points";
import { chargeOutcomes, normalise, paymentsOverTime, requestsByRoute, type Scope } from "../src/analytics/queries";
import { literal, renderEngine } from "../src/analytics/render-ae";
import { renderLocal } from "../src/analytics/render-local";
import { analyticsSink } from "../src/analytics/sink";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("the data point builder", () => {
  it("puts a request in the documented columns", () => {
    const point = { kind: "request", method: "POST", route: "/v1/purchases", status: 201, latencyMs: 42 } as const;
    expect(encode({ ...point, merchantId: "mer_1", mode: "test", traceId: TRACE })).toEqual({
      indexes: ["mer_1"],
      blobs: ["request", "/v1/purchases", "", "", "201", "test", "POST", TRACE],
      doubles: [0, 42],
    });
    expect(encode({ ...point, merchantId: undefined, mode: undefined, traceId: TRACE })).toMatchObject({
      indexes: ["anonymous"],
      blobs: ["request", "/v1/purchases", "", "", "201", "", "POST", TRACE],
    });
  });

  it("puts a money event in the documented columns, from the customer object's rows", () => {
    const owner = { merchant_id: "mer_1", livemode: 0 };
    const plan = JSON.stringify({ type: "pay_in_n", n: 4, interval_days: 14 });
    const purchase = { currency: "EUR", plan, trace_id: TRACE };
    expect(encode(moneyPoint(owner, purchase, "charge.declined", 3000, "insufficient_funds"))).toEqual({
      indexes: ["mer_1"],
      blobs: ["money", "charge.declined", "EUR", "pay_in_n", "insufficient_funds", "test", "", TRACE],
      doubles: [3000, 0],
    });
    // A purchase made before traces were kept has none.
    expect(encode(moneyPoint({ ...owner, livemode: 1 }, { ...purchase, trace_id: "" }, "capture", 12000))).toEqual({
      indexes: ["mer_1"],
      blobs: ["money", "capture", "EUR", "pay_in_n", "", "live", "", ""],
      doubles: [12000, 0],
    });
  });

  it("puts an alarm run's lag in double2, with the object in blob2 and the run's trace in blob8", () => {
    const run = {
      kind: "alarm",
      object: "customer",
      merchantId: "mer_1",
      mode: "test",
      lagMs: 1250,
      traceId: TRACE,
    } as const;
    expect(encode(run)).toEqual({
      indexes: ["mer_1"],
      blobs: ["alarm", "customer", "", "", "", "test", "", TRACE],
      doubles: [0, 1250],
    });
    // An endpoint object that holds nothing yet has no merchant.
    expect(encode({ ...run, object: "webhook_endpoint", merchantId: undefined, mode: undefined })).toMatchObject({
      indexes: ["unknown"],
      blobs: ["alarm", "webhook_endpoint", "", "", "", "", "", TRACE],
    });
  });

  it("puts a backlog's count in double1, with its queue in blob2", () => {
    for (const queue of ["projection", "webhook"] as const) {
      expect(encode({ kind: "backlog", queue, merchantId: "mer_1", mode: "live", count: 7 })).toEqual({
        indexes: ["mer_1"],
        blobs: ["backlog", queue, "", "", "", "live", "", ""],
        doubles: [7, 0],
      });
    }
  });

  it("puts a failed webhook attempt's status in blob5 and its duration in double2", () => {
    const failed = { kind: "webhook", merchantId: "mer_1", mode: "test", eventType: "installment.paid" } as const;
    expect(encode({ ...failed, status: 503, latencyMs: 80 })).toEqual({
      indexes: ["mer_1"],
      blobs: ["webhook", "installment.paid", "", "", "503", "test", "", ""],
      doubles: [0, 80],
    });
    expect(encode({ ...failed, status: 0, latencyMs: 15000 }).blobs[4]).toBe("0");
  });
});

describe("the sink", () => {
  const point: DataPoint = {
    kind: "request",
    merchantId: "mer_1",
    mode: "live",
    method: "GET",
    route: "/x",
    status: 200,
    latencyMs: 1,
    traceId: TRACE,
  };
  const lifetime = { waitUntil: () => {} };

  it("hands Analytics Engine the encoded point, and never throws when it refuses one", () => {
    const written: unknown[] = [];
    const engine = (dataset: Partial<AnalyticsEngineDataset>) =>
      analyticsSink({ ...env, ANALYTICS_BACKEND: "engine", ANALYTICS: dataset } as unknown as Env, lifetime);
    engine({ writeDataPoint: (p) => written.push(p) }).write(point);
    expect(written).toEqual([encode(point)]);
    const refusing = engine({
      writeDataPoint: () => {
        throw new RangeError("too many blobs");
      },
    });
    expect(() => refusing.write(point)).not.toThrow();
  });
});

const scope: Scope = {
  merchantId: "mer_01JDQ8Z6W2N8X4C2V7B5K9M3PD",
  mode: "test",
  from: new Date("2026-01-01T00:00:00.250Z"),
  to: new Date("2026-01-03T00:00:00.250Z"),
};

describe("Analytics Engine rendering", () => {
  it("weights counts, sums and percentiles by the sample interval, within the merchant's mode", () => {
    expect(renderEngine(requestsByRoute, scope)).toBe(
      [
        "SELECT blob2 AS route, blob7 AS method, SUM(_sample_interval) AS requests, " +
          "SUM(IF(blob5 >= '500', _sample_interval, 0)) AS server_errors, " +
          "SUM(IF(blob5 >= '400' AND blob5 < '500', _sample_interval, 0)) AS client_errors, " +
          "quantileExactWeighted(0.5)(double2, _sample_interval) AS p50, " +
          "quantileExactWeighted(0.95)(double2, _sample_interval) AS p95, " +
          "quantileExactWeighted(0.99)(double2, _sample_interval) AS p99",
        "FROM tranche_events",
        "WHERE index1 = 'mer_01JDQ8Z6W2N8X4C2V7B5K9M3PD' AND blob6 = 'test' AND blob1 = 'request' " +
          "AND timestamp >= toDateTime(1767225600) AND timestamp < toDateTime(1767398401)",
        "GROUP BY route, method",
        "ORDER BY route, method",
        "FORMAT JSON",
      ].join("\n"),
    );
  });

  it("sums amounts, buckets time and filters, on one table with no joins", () => {
    const sql = renderEngine(paymentsOverTime({ granularity: "hour", currency: "EUR", planType: "pay_in_n" }), scope);
    expect(sql).toContain("toStartOfInterval(timestamp, INTERVAL '1' HOUR) AS start");
    expect(sql).toContain("SUM(_sample_interval) AS count, SUM(_sample_interval * double1) AS amount");
    expect(sql).toContain("AND blob3 = 'EUR' AND blob4 = 'pay_in_n'");
    const outcomes = renderEngine(chargeOutcomes({}), scope);
    expect(outcomes).toContain("blob2 IN ('charge.attempted', 'charge.succeeded', 'charge.declined')");
    for (const q of [sql, outcomes]) {
      expect(q.match(/\bFROM\b/g)).toHaveLength(1);
      expect(q).not.toMatch(/\b(JOIN|UNION)\b/i);
    }
  });

  it("quotes values so none can end its string", () => {
    expect(literal("it's")).toBe("'it\\'s'");
    expect(literal("a\\' OR 1=1 --")).toBe("'a\\\\\\' OR 1=1 --'");
    const sql = renderEngine(paymentsOverTime({ granularity: "day", currency: "E'UR" }), scope);
    expect(sql).toContain("blob3 = 'E\\'UR'");
  });
});

describe("local store rendering", () => {
  it("binds every value and computes percentiles from running weights over the same table", () => {
    const { sql, params } = renderLocal(requestsByRoute, scope);
    expect(params).toEqual([
      scope.merchantId,
      "test",
      "request",
      "2026-01-01 00:00:00",
      "2026-01-03 00:00:01",
      "500",
      "400",
      "500",
    ]);
    expect(sql).toContain("SUM(CASE WHEN blob5 >= ?6 THEN _sample_interval ELSE 0 END) AS server_errors");
    expect(sql).toContain("MIN(CASE WHEN _upto_double2 >= _weight * 0.99 THEN double2 END) AS p99");
    expect(sql).toContain(
      "SUM(_sample_interval) OVER (PARTITION BY blob2, blob7 ORDER BY double2 ROWS UNBOUNDED PRECEDING) AS _upto_double2",
    );
    expect(sql).toContain("WHERE index1 = ?1 AND blob6 = ?2 AND blob1 = ?3 AND timestamp >= ?4 AND timestamp < ?5");
    expect(sql.match(/\bFROM analytics_local\b/g)).toHaveLength(1);
    expect(sql).not.toMatch(/\bJOIN\b/i);
  });
});

describe("rows from either store", () => {
  it("read time buckets as either store writes them, and numbers as numbers", () => {
    const query = paymentsOverTime({ granularity: "day" });
    const rows = ["2026-01-01 00:00:00", "2026-01-01"].map((start) => ({
      start,
      event: "capture",
      currency: "EUR",
      count: "2",
      amount: null,
    }));
    expect(new Set(normalise(query, rows).map((r) => JSON.stringify(r)))).toEqual(
      new Set([
        JSON.stringify({ start: "2026-01-01T00:00:00.000Z", event: "capture", currency: "EUR", count: 2, amount: 0 }),
      ]),
    );
    expect(() => normalise(query, [{ ...rows[0], start: "yesterday" }])).toThrow("'yesterday' is not a time bucket");
  });
});
