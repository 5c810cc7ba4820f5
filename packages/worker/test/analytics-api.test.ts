import { env } from "cloudflare:test";
import type { MerchantWithKey, PaymentAnalytics, Problem, Purchase, RequestAnalytics } from "@tranche/shared";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ENGINE_REQUESTS_BY_ROUTE } from "./analytics-fixtures";
import {
  advanceClock,
  attachCard,
  call,
  callWithEnv,
  createCustomer,
  createMerchant,
  createPurchase,
  expectProblem,
  plusDays,
  purchaseBody,
} from "./helpers";

/** Points are written after the answer (waitUntil): wait until the merchant's `n` points of `kind` have landed. */
async function landed(merchantId: string, kind: "money" | "request", n: number) {
  await vi.waitFor(
    async () => {
      const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM analytics_local WHERE index1 = ? AND blob1 = ?")
        .bind(merchantId, kind)
        .first<{ n: number }>();
      expect(row?.n).toBe(n);
    },
    { timeout: 5_000, interval: 20 },
  );
}

/** The series summed over time buckets, so a test running across midnight sees the same totals. */
function totals(series: PaymentAnalytics["series"]) {
  const out: Record<string, { count: number; amount: number }> = {};
  for (const p of series) {
    const key = `${p.event} ${p.currency}`;
    out[key] = { count: (out[key]?.count ?? 0) + p.count, amount: (out[key]?.amount ?? 0) + p.amount };
  }
  return out;
}

/**
 * One merchant's day: a pay-in-4 on a card that pays and a pay-later (due a day after capture) on one
 * with insufficient funds, captured by hand, whose clock moves two days (a declined retry and a late fee), and a partial refund.
 */
async function scenario() {
  const merchant = await createMerchant();
  const key = merchant.secret_key;
  const payer = await createCustomer(key);
  const payerCard = await attachCard(key, payer.id, "tok_visa");
  const broke = await createCustomer(key);
  const brokeCard = await attachCard(key, broke.id, "tok_insufficient_funds");
  const paid = await createPurchase(key, purchaseBody(payer.id, payerCard.id, { amount: 12000 }));
  // Due a day after capture, so its declined charge goes to dunning: declined at checkout or at a
  // capture by hand, it would be a 402 (issue 18).
  const authorised = await createPurchase(
    key,
    purchaseBody(broke.id, brokeCard.id, { amount: 5000, plan: { type: "pay_later", days: 1 }, capture: "manual" }),
  );
  const unpaid = (await call<Purchase>(`/v1/purchases/${authorised.id}/capture`, { key, method: "POST" })).body;
  await advanceClock(key, broke.id, plusDays(unpaid.captured_at, 3));
  expect((await call(`/v1/purchases/${paid.id}/refunds`, { key, body: { amount: 1000 } })).status).toBe(201);
  await expectProblem(call<Purchase>("/v1/purchases/pur_00000000000000000000000000", { key }), 404, "not_found");
  // Ten requests with the key: 2 customers, 2 cards, 2 purchases, a capture, a clock, a refund, a 404.
  await landed(merchant.id, "request", 10);
  await landed(merchant.id, "money", 10);
  return { merchant, key };
}

describe("analytics on the local store, fed by real requests", () => {
  let a: Awaited<ReturnType<typeof scenario>>;
  beforeAll(async () => {
    a = await scenario();
  });

  it("counts the money events, their value, and charge success and decline rates", async () => {
    const { status, body } = await call<PaymentAnalytics>("/v1/analytics/payments", { key: a.key });
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: "payment_analytics", livemode: false, granularity: "day", currency: null });
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 86_400_000);
    expect(totals(body.series)).toEqual({
      "capture EUR": { count: 2, amount: 17000 },
      "charge.attempted EUR": { count: 3, amount: 13000 },
      "charge.succeeded EUR": { count: 1, amount: 3000 },
      "charge.declined EUR": { count: 2, amount: 10000 },
      "late_fee EUR": { count: 1, amount: 500 },
      "refund EUR": { count: 1, amount: 1000 },
    });
    expect(body.charges).toEqual({
      attempted: 3,
      succeeded: 1,
      declined: 2,
      success_rate: 1 / 3,
      decline_rate: 2 / 3,
      by_plan_type: [
        { plan_type: "pay_in_n", attempted: 1, succeeded: 1, declined: 0, success_rate: 1, decline_rate: 0 },
        { plan_type: "pay_later", attempted: 2, succeeded: 0, declined: 2, success_rate: 0, decline_rate: 1 },
      ],
      by_decline_code: [{ decline_code: "insufficient_funds", declined: 2, rate: 2 / 3 }],
    });
  });

  it("filters by plan type and currency, and buckets by the hour", async () => {
    const inN = (await call<PaymentAnalytics>("/v1/analytics/payments?plan_type=pay_in_n", { key: a.key })).body;
    expect(Object.keys(totals(inN.series)).sort()).toEqual([
      "capture EUR",
      "charge.attempted EUR",
      "charge.succeeded EUR",
      "refund EUR",
    ]);
    expect(inN.charges.by_plan_type.map((p) => p.plan_type)).toEqual(["pay_in_n"]);

    const usd = (await call<PaymentAnalytics>("/v1/analytics/payments?currency=usd", { key: a.key })).body;
    expect(usd).toMatchObject({ currency: "USD", series: [], charges: { attempted: 0, success_rate: null } });

    const daily = (await call<PaymentAnalytics>("/v1/analytics/payments", { key: a.key })).body;
    for (const p of daily.series) expect(p.start).toMatch(/T00:00:00\.000Z$/);
    const hourly = (await call<PaymentAnalytics>("/v1/analytics/payments?granularity=hour", { key: a.key })).body;
    for (const p of hourly.series) expect(p.start).toMatch(/T\d\d:00:00\.000Z$/);
    expect(totals(hourly.series)).toEqual(totals(daily.series));
  });

  it("gives latency percentiles and error rates per route", async () => {
    const { status, body } = await call<RequestAnalytics>("/v1/analytics/requests", { key: a.key });
    expect(status).toBe(200);
    const route = (method: string, path: string) => body.routes.find((r) => r.method === method && r.route === path);
    expect(route("POST", "/v1/customers")).toMatchObject({ requests: 2, server_errors: 0, error_rate: 0 });
    expect(route("POST", "/v1/purchases/:id/refunds")).toMatchObject({ requests: 1, client_errors: 0 });
    expect(route("GET", "/v1/purchases/:id")).toMatchObject({ requests: 1, client_errors: 1, client_error_rate: 1 });
    for (const r of body.routes) {
      expect(r.latency_ms.p50).toBeGreaterThanOrEqual(0);
      expect(r.latency_ms.p50).toBeLessThanOrEqual(r.latency_ms.p95);
      expect(r.latency_ms.p95).toBeLessThanOrEqual(r.latency_ms.p99);
    }
  });

  it("shows another merchant nothing of the first's", async () => {
    const other = await createMerchant("Other Goods");
    const payments = (await call<PaymentAnalytics>("/v1/analytics/payments", { key: other.secret_key })).body;
    expect(payments.series).toEqual([]);
    expect(payments.charges).toMatchObject({ attempted: 0, by_plan_type: [], by_decline_code: [] });
    await landed(other.id, "request", 1);
    const requests = (await call<RequestAnalytics>("/v1/analytics/requests", { key: other.secret_key })).body;
    expect(requests.routes.map((r) => `${r.method} ${r.route}`)).toEqual(["GET /v1/analytics/payments"]);
  });

  it("refuses bad parameters with a 400 naming the parameter", async () => {
    const key = a.key;
    const cases: [string, string][] = [
      ["/v1/analytics/payments?granularity=week", "granularity"],
      ["/v1/analytics/payments?plan_type=layaway", "plan_type"],
      ["/v1/analytics/payments?currency=XXX1", "currency"],
      ["/v1/analytics/payments?from=yesterday", "from"],
      ["/v1/analytics/requests?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
      ["/v1/analytics/requests?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
      ["/v1/analytics/payments?granularity=hour&from=2025-11-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
    ];
    for (const [path, param] of cases) {
      const problem = await expectProblem(call(path, { key }), 400, "validation_error");
      expect(
        problem.errors?.map((e) => e.path),
        path,
      ).toEqual([param]);
    }
    await expectProblem(call("/v1/analytics/payments"), 401, "authentication_required");
  });
});

describe("analytics on Analytics Engine", () => {
  const SECRETS = { ANALYTICS_ACCOUNT_ID: "0123456789abcdef0123456789abcdef", ANALYTICS_API_TOKEN: "secret-token" };
  let merchant: MerchantWithKey;
  beforeAll(async () => {
    merchant = await createMerchant();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const get = (path: string, vars: Record<string, unknown>) =>
    callWithEnv(path, { headers: { Authorization: `Bearer ${merchant.secret_key}` } }, vars);
  const problemOf = async (res: Response) => {
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    return (await res.json()) as Problem;
  };

  it("answers 503 with a clear message when its secrets or the backend setting are missing", async () => {
    const unset = await get("/v1/analytics/payments", { ANALYTICS_BACKEND: "engine" });
    expect(unset.status).toBe(503);
    const problem = await problemOf(unset);
    expect(problem.code).toBe("analytics_unavailable");
    expect(problem.detail).toContain("ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN");

    const bogus = await get("/v1/analytics/requests", { ANALYTICS_BACKEND: "clickhouse", ...SECRETS });
    expect(bogus.status).toBe(503);
    expect((await problemOf(bogus)).detail).toContain("ANALYTICS_BACKEND is 'clickhouse'");
  });

  it("asks the SQL API for this merchant's mode only, and shapes its answer", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json(ENGINE_REQUESTS_BY_ROUTE));
    const res = await get("/v1/analytics/requests", { ANALYTICS_BACKEND: "engine", ...SECRETS });
    expect(res.status).toBe(200);
    const body = (await res.json()) as RequestAnalytics;
    expect(body.routes.map((r) => [r.method, r.route, r.requests, r.error_rate])).toEqual([
      ["POST", "/v1/customers", 4, 0],
      ["POST", "/v1/purchases", 5, 0.2],
      ["GET", "/v1/purchases/:id", 12, 0],
    ]);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(String(url)).toBe(
      `https://api.cloudflare.com/client/v4/accounts/${SECRETS.ANALYTICS_ACCOUNT_ID}/analytics_engine/sql`,
    );
    expect(String(init?.body)).toContain(`WHERE index1 = '${merchant.id}' AND blob6 = 'test' AND blob1 = 'request'`);
  });

  it("answers 502 when the SQL API refuses, and 503 when it cannot be reached, never 500", async () => {
    const refusal = { success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [] };
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json(refusal, { status: 403 }));
    const refused = await get("/v1/analytics/payments", { ANALYTICS_BACKEND: "engine", ...SECRETS });
    expect(refused.status).toBe(502);
    const problem = await problemOf(refused);
    expect(problem).toMatchObject({ code: "analytics_query_failed", title: "Analytics query failed" });
    expect(problem.detail).toContain("Authentication error");
    expect(JSON.stringify(problem)).not.toContain(SECRETS.ANALYTICS_API_TOKEN);

    vi.spyOn(globalThis, "fetch").mockImplementation(() => Promise.reject(new TypeError("Network connection lost.")));
    const down = await get("/v1/analytics/payments", { ANALYTICS_BACKEND: "engine", ...SECRETS });
    expect(down.status).toBe(503);
    expect((await problemOf(down)).code).toBe("analytics_unavailable");
  });
});
