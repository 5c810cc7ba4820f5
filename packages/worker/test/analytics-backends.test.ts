import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { chargeRates } from "../src/analytics/answers";
import { AnalyticsEngineError, engineClient } from "../src/analytics/engine-client";
import { chargeOutcomes, paymentsOverTime, type Query, requestsByRoute } from "../src/analytics/queries";
import { type AnalyticsReader, engineReader, localReader } from "../src/analytics/reader";
import { renderEngine } from "../src/analytics/render-ae";
import {
  ENGINE_CHARGE_OUTCOMES,
  ENGINE_PAY_IN_FULL_BY_HOUR,
  ENGINE_PAYMENTS_BY_DAY,
  ENGINE_REQUESTS_BY_ROUTE,
  POINTS,
  SCOPE,
  storePoints,
} from "./analytics-fixtures";

/** Each described query, the Analytics Engine answer recorded for it, and the rows both backends must give. */
const CASES: { name: string; query: Query; recorded: unknown; expected: Record<string, unknown>[] }[] = [
  {
    name: "payments by day",
    query: paymentsOverTime({ granularity: "day" }),
    recorded: ENGINE_PAYMENTS_BY_DAY,
    expected: [
      { start: "2026-01-01T00:00:00.000Z", event: "capture", currency: "EUR", count: 1, amount: 12000 },
      { start: "2026-01-01T00:00:00.000Z", event: "charge.attempted", currency: "EUR", count: 3, amount: 13000 },
      { start: "2026-01-01T00:00:00.000Z", event: "charge.declined", currency: "EUR", count: 2, amount: 10000 },
      { start: "2026-01-01T00:00:00.000Z", event: "charge.succeeded", currency: "EUR", count: 1, amount: 3000 },
      { start: "2026-01-02T00:00:00.000Z", event: "charge.attempted", currency: "SEK", count: 1, amount: 20000 },
      { start: "2026-01-02T00:00:00.000Z", event: "charge.declined", currency: "SEK", count: 1, amount: 20000 },
      { start: "2026-01-02T00:00:00.000Z", event: "refund", currency: "EUR", count: 1, amount: 1000 },
    ],
  },
  {
    name: "pay in full by hour",
    query: paymentsOverTime({ granularity: "hour", planType: "pay_in_full" }),
    recorded: ENGINE_PAY_IN_FULL_BY_HOUR,
    expected: [
      { start: "2026-01-01T11:00:00.000Z", event: "charge.attempted", currency: "EUR", count: 2, amount: 10000 },
      { start: "2026-01-01T11:00:00.000Z", event: "charge.declined", currency: "EUR", count: 2, amount: 10000 },
      { start: "2026-01-02T09:00:00.000Z", event: "charge.attempted", currency: "SEK", count: 1, amount: 20000 },
      { start: "2026-01-02T09:00:00.000Z", event: "charge.declined", currency: "SEK", count: 1, amount: 20000 },
    ],
  },
  {
    name: "charge outcomes",
    query: chargeOutcomes({}),
    recorded: ENGINE_CHARGE_OUTCOMES,
    expected: [
      { plan_type: "pay_in_full", event: "charge.attempted", decline_code: "", count: 3 },
      { plan_type: "pay_in_full", event: "charge.declined", decline_code: "insufficient_funds", count: 2 },
      { plan_type: "pay_in_full", event: "charge.declined", decline_code: "stolen_card", count: 1 },
      { plan_type: "pay_in_n", event: "charge.attempted", decline_code: "", count: 1 },
      { plan_type: "pay_in_n", event: "charge.succeeded", decline_code: "", count: 1 },
    ],
  },
  {
    name: "requests by route",
    query: requestsByRoute,
    recorded: ENGINE_REQUESTS_BY_ROUTE,
    expected: [
      {
        route: "/v1/customers",
        method: "POST",
        requests: 4,
        server_errors: 0,
        client_errors: 0,
        p50: 2,
        p95: 4,
        p99: 4,
      },
      {
        route: "/v1/purchases",
        method: "POST",
        requests: 5,
        server_errors: 1,
        client_errors: 1,
        p50: 30,
        p95: 1000,
        p99: 1000,
      },
      {
        route: "/v1/purchases/:id",
        method: "GET",
        requests: 12,
        server_errors: 0,
        client_errors: 1,
        p50: 5,
        p95: 500,
        p99: 500,
      },
    ],
  },
];

/** An Analytics Engine reader whose API answers each rendered query with its recorded answer, and nothing else. */
function recordedEngine(): AnalyticsReader {
  const answers = new Map(CASES.map((c) => [renderEngine(c.query, SCOPE), c.recorded]));
  return engineReader(
    engineClient({
      accountId: "acc",
      apiToken: "token",
      fetch: async (_url, init) => {
        const recorded = answers.get(String(init.body));
        return recorded ? Response.json(recorded) : new Response(`no recording for: ${init.body}`, { status: 400 });
      },
    }),
  );
}

describe("both backends, the same points, the same answers", () => {
  beforeAll(() => storePoints(env.DB, POINTS));

  const backends: [string, () => AnalyticsReader][] = [
    ["the local store", () => localReader(env.DB)],
    ["Analytics Engine (recorded)", recordedEngine],
  ];
  for (const [backend, reader] of backends) {
    for (const c of CASES) {
      it(`${backend}: ${c.name}`, async () => {
        expect(await reader().run(c.query, SCOPE)).toEqual(c.expected);
      });
    }
  }

  it("derives the same rates from either", async () => {
    const [local, engine] = await Promise.all(backends.map(([, reader]) => reader().run(chargeOutcomes({}), SCOPE)));
    expect(chargeRates(local ?? [])).toEqual(chargeRates(engine ?? []));
    expect(chargeRates(local ?? [])).toMatchObject({
      attempted: 4,
      succeeded: 1,
      declined: 3,
      by_decline_code: [
        { decline_code: "insufficient_funds", declined: 2, rate: 0.5 },
        { decline_code: "stolen_card", declined: 1, rate: 0.25 },
      ],
    });
  });

  it("calls Analytics Engine rows it cannot read malformed", async () => {
    const garbled = { ...ENGINE_PAYMENTS_BY_DAY, data: [{ ...ENGINE_PAYMENTS_BY_DAY.data[0], start: "soon" }] };
    const reader = engineReader(
      engineClient({ accountId: "acc", apiToken: "token", fetch: async () => Response.json(garbled) }),
    );
    const error = await reader.run(paymentsOverTime({ granularity: "day" }), SCOPE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalyticsEngineError);
    expect(error).toMatchObject({ reason: "malformed" });
  });
});
