import { describe, expect, it } from "vitest";
import { AnalyticsEngineError, engineClient } from "../src/analytics/engine-client";

const TOKEN = "cf-token-that-must-never-leak";

/** A client whose fetch answers with `answer` and keeps what it was asked. */
function clientAnswering(answer: () => Response | Promise<Response>) {
  const asked: { url: string; init: RequestInit }[] = [];
  const client = engineClient({
    accountId: "0123456789abcdef0123456789abcdef",
    apiToken: TOKEN,
    fetch: async (url, init) => {
      asked.push({ url, init });
      return answer();
    },
  });
  return { client, asked };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** The answer's error, checked to be an AnalyticsEngineError that says nothing of the token. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail("expected the query to fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AnalyticsEngineError);
  expect(String((error as Error).message)).not.toContain(TOKEN);
  return error as AnalyticsEngineError;
}

describe("the Analytics Engine SQL API client", () => {
  it("POSTs the SQL with the bearer token to the account's endpoint", async () => {
    const { client, asked } = clientAnswering(() => json({ meta: [], data: [], rows: 0 }));
    expect(await client.query("SELECT 1 FORMAT JSON")).toEqual([]);
    expect(asked).toHaveLength(1);
    const [{ url, init }] = asked as [(typeof asked)[0]];
    expect(url).toBe(
      "https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/analytics_engine/sql",
    );
    expect(init.method).toBe("POST");
    expect(new Headers(init.headers).get("Authorization")).toBe(`Bearer ${TOKEN}`);
    expect(init.body).toBe("SELECT 1 FORMAT JSON");
  });

  it("reads the documented {meta, data, rows} answer, turning numbers sent as strings into numbers", async () => {
    const { client } = clientAnswering(() =>
      json({
        meta: [
          { name: "route", type: "String" },
          { name: "status", type: "String" },
          { name: "requests", type: "UInt64" },
          { name: "amount", type: "Float64" },
          { name: "p99", type: "Nullable(Float64)" },
          { name: "start", type: "DateTime" },
        ],
        data: [
          {
            route: "/v1/purchases",
            status: "500",
            requests: "18446744",
            amount: 12.5,
            p99: "nan",
            start: "2026-01-01 00:00:00",
          },
          {
            route: "/v1/customers",
            status: "201",
            requests: "3",
            amount: "7",
            p99: null,
            start: "2026-01-02 00:00:00",
          },
        ],
        rows: 2,
        rows_before_limit_at_least: 2,
      }),
    );
    expect(await client.query("SELECT …")).toEqual([
      {
        route: "/v1/purchases",
        status: "500",
        requests: 18446744,
        amount: 12.5,
        p99: null,
        start: "2026-01-01 00:00:00",
      },
      { route: "/v1/customers", status: "201", requests: 3, amount: 7, p99: null, start: "2026-01-02 00:00:00" },
    ]);
  });

  it("maps the Cloudflare API's {errors} answers: a 4xx is rejected, with the message", async () => {
    const { client } = clientAnswering(() =>
      json(
        { result: null, success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [] },
        403,
      ),
    );
    const error = await failure(client.query("SELECT 1"));
    expect(error).toMatchObject({ reason: "rejected", status: 403 });
    expect(error.message).toBe("Analytics Engine answered 403: Authentication error (10000)");
  });

  it("maps a query error sent as plain text", async () => {
    const { client } = clientAnswering(
      () =>
        new Response("Code: 47. DB::Exception: Missing columns: 'blob99'\n  while processing query", { status: 422 }),
    );
    const error = await failure(client.query("SELECT blob99 FROM tranche_events"));
    expect(error).toMatchObject({ reason: "rejected", status: 422 });
    expect(error.message).toBe(
      "Analytics Engine answered 422: Code: 47. DB::Exception: Missing columns: 'blob99' while processing query",
    );
  });

  it("calls 429 and 5xx unavailable, shortening long bodies", async () => {
    const busy = await failure(clientAnswering(() => new Response("", { status: 429 })).client.query("SELECT 1"));
    expect(busy).toMatchObject({
      reason: "unavailable",
      status: 429,
      message: "Analytics Engine answered 429: (empty body)",
    });
    const html = `<html><body>${"Bad gateway ".repeat(100)}</body></html>`;
    const down = await failure(clientAnswering(() => new Response(html, { status: 502 })).client.query("SELECT 1"));
    expect(down).toMatchObject({ reason: "unavailable", status: 502 });
    expect(down.message.length).toBeLessThan(360);
    expect(down.message.endsWith("…")).toBe(true);
  });

  it("calls a network failure unavailable", async () => {
    const { client } = clientAnswering(() => Promise.reject(new TypeError("Network connection lost.")));
    const error = await failure(client.query("SELECT 1"));
    expect(error).toMatchObject({ reason: "unavailable", status: undefined });
    expect(error.message).toContain("Network connection lost.");
  });

  it("calls a success that is not the documented JSON malformed", async () => {
    const text = await failure(clientAnswering(() => new Response("route\tcount\n")).client.query("SELECT 1"));
    expect(text).toMatchObject({ reason: "malformed", status: undefined });
    const shapeless = await failure(clientAnswering(() => json({ result: [] })).client.query("SELECT 1"));
    expect(shapeless.reason).toBe("malformed");
  });
});
