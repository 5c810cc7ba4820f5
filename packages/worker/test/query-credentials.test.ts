// A credential sent in a query string is dropped before anything records the URL, and the request
// is refused naming the parameter: the answer, the log lines, the analytics store and what would
// go to Sentry never hold its value (issue 20).
import { env, SELF } from "cloudflare:test";
import type { Problem } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_PARAMS, withoutQueryCredentials } from "../src/lib/query-credentials";
import { sentryOptions } from "../src/lib/sentry";
import { call, createMerchant } from "./helpers";
import { captureLogs } from "./observability-kit";

const logs = captureLogs();
const value = () => `leak${crypto.randomUUID().replaceAll("-", "")}`;

async function analyticsText(): Promise<string> {
  return JSON.stringify((await env.DB.prepare("SELECT * FROM analytics_local").all()).results);
}

describe("credentials in a query string", () => {
  it.each([
    ["api_key", "/v1/customers?api_key=%s&limit=1"],
    ["API_KEY", "/v1/customers?API_KEY=%s"],
    ["token", "/v1/purchases?limit=1&token=%s"],
    ["key", "/v1/customers?key=%s"],
    ["secret", "/health?secret=%s"],
    ["access_token", "/v1/merchants?access_token=%s"],
    ["k", "/v1/customers?k=sk_live_%s"],
  ])("are dropped and refused (%s), leaving no trace of the value", async (name, template) => {
    const { secret_key } = await createMerchant();
    const secret = value();
    const res = await SELF.fetch(`http://tranche.test${template.replace("%s", secret)}`, {
      headers: { Authorization: `Bearer ${secret_key}` },
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    const problem = JSON.parse(text) as Problem;
    expect(problem.code).toBe("validation_error");
    expect(problem.errors?.map((e) => e.path)).toEqual([name]);
    expect(problem.detail).toContain("Authorization");
    expect(text).not.toContain(secret);
    expect(logs.raw.join("\n")).toContain(problem.request_id);
    expect(logs.raw.join("\n")).not.toContain(secret);
    expect(await analyticsText()).not.toContain(secret);
  });

  it("never reach Sentry: the request's URL, its query string, breadcrumbs and spans are scrubbed", () => {
    const secret = value();
    const options = sentryOptions({ ...env, SENTRY_DSN: "https://public@o1.ingest.sentry.io/1" });
    const url = `https://tranche.test/v1/customers?limit=1&api_key=${secret}&token=${secret}`;
    const event = {
      request: { url, query_string: `api_key=${secret}&limit=1` },
      breadcrumbs: [{ category: "fetch", data: { url: `https://hooks.example/in?sig=${secret}` } }],
    };
    const sent = JSON.stringify(options.beforeSend?.(event as never, {}));
    expect(sent).not.toContain(secret);
    expect(sent).toContain("limit=1");
    const crumb = options.beforeBreadcrumb?.({ category: "fetch", data: { url } }, {});
    expect(JSON.stringify(crumb)).not.toContain(secret);
    const span = options.beforeSendTransaction?.({ type: "transaction", request: { url } } as never, {});
    expect(JSON.stringify(span)).not.toContain(secret);
  });

  it("are dropped at the entry: the app gets the request without the value, all else kept", async () => {
    const secret = value();
    const sent = new Request(`https://tranche.test/v1/customers?limit=1&api_key=${secret}`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_x", "Idempotency-Key": "k" },
      body: '{"email":"a@example.com"}',
    });
    const kept = withoutQueryCredentials(sent);
    expect(kept.url).toBe("https://tranche.test/v1/customers?limit=1&api_key=%5Bdropped%5D");
    expect([kept.method, kept.headers.get("Idempotency-Key"), await kept.text()]).toEqual([
      "POST",
      "k",
      '{"email":"a@example.com"}',
    ]);
    const clean = new Request("https://tranche.test/v1/customers?limit=1");
    expect(withoutQueryCredentials(clean)).toBe(clean);
  });

  it("name no parameter the API documents", async () => {
    const doc = (
      await call<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }>(
        "/openapi.json",
      )
    ).body;
    const query = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name)),
    );
    expect(query.length).toBeGreaterThan(5);
    expect(query.filter((name) => CREDENTIAL_PARAMS.test(name))).toEqual([]);
  });

  it("leave other parameters alone: a filter is not a credential", async () => {
    const { secret_key } = await createMerchant();
    const res = await SELF.fetch("http://tranche.test/v1/customers?limit=2", {
      headers: { Authorization: `Bearer ${secret_key}` },
    });
    expect(res.status).toBe(200);
  });
});
