import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { ERROR_CODES, EVENT_TYPES } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { policyFromConfig } from "../src/domain/collections/config";
import { DEFAULT_POLICY } from "../src/domain/collections/policy";
import { call, callWithEnv, createPurchase, expectProblem, purchaseBody, shopper } from "./helpers";

describe("system routes", () => {
  it("reports health with its D1 check", async () => {
    const { status, body } = await call("/health");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok", checks: { d1: "ok", collections_policy: "ok" }, environment: "development" });
  });

  it("is not healthy over a database without its tables, and checks them only until they are there", async () => {
    // A table of the newest migrations moved away: the database `pnpm dev -- --persist-to DIR`
    // once started over, with the migrations applied elsewhere.
    const hide = () => env.DB.exec("ALTER TABLE monitor_incidents RENAME TO monitor_incidents_away");
    const restore = () => env.DB.exec("ALTER TABLE monitor_incidents_away RENAME TO monitor_incidents");
    const health = async (app: ReturnType<typeof createApp>) => {
      const ctx = createExecutionContext();
      const res = await app.request("http://tranche.test/health", {}, env, ctx);
      await waitOnExecutionContext(ctx);
      return [res.status, ((await res.json()) as { checks: { d1: string } }).checks.d1];
    };
    const app = createApp();
    await hide();
    try {
      expect(await health(app)).toEqual([503, "error"]);
      await restore();
      expect(await health(app)).toEqual([200, "ok"]);
      // Once migrated, the app (one per isolate) answers with a plain `SELECT 1`.
      await hide();
      expect(await health(app)).toEqual([200, "ok"]);
      expect(await health(createApp())).toEqual([503, "error"]);
    } finally {
      await restore();
    }
  });

  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    const { status, body } = await call<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/merchants",
        "/v1/customers",
        "/v1/customers/{id}",
        "/v1/purchases",
        "/v1/purchases/{id}",
      ]),
    );
    expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(["Purchase", "Plan", "Problem"]));
    // One spelling in the public surface, as Stripe, Klarna and Affirm spell it (issue 9).
    expect(JSON.stringify(body)).not.toMatch(/instalment/i);
    expect(JSON.stringify(body)).toMatch(/installments/);
  });

  it("serves the interactive reference and the error catalogue", async () => {
    const docs = await SELF.fetch("http://tranche.test/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("Content-Type")).toMatch(/text\/html/);
    const html = await docs.text();
    expect(html).toContain('src="/docs/vendor/swagger-ui-bundle.js"');
    expect(html).toContain('url: "/openapi.json"');

    const errors = await (await SELF.fetch("http://tranche.test/docs/errors")).text();
    for (const code of ERROR_CODES) expect(errors).toContain(`id="${code}"`);
    const events = await (await SELF.fetch("http://tranche.test/docs/events")).text();
    for (const type of Object.keys(EVENT_TYPES)) expect(events).toContain(`id="${type}"`);
  });

  it("answers unknown routes with a problem, never a bare 404", async () => {
    await expectProblem(call("/v1/nothing-here"), 401, "authentication_required");
    await expectProblem(call("/nowhere"), 404, "not_found");
  });

  it("keeps the benchmark's reference routes off unless BENCH_BARE_ROUTE is set", async () => {
    await expectProblem(call("/__bench/bare"), 404, "not_found");
    await expectProblem(call("/__bench/floor"), 404, "not_found");

    const app = createApp();
    const benchEnv = { ...env, BENCH_BARE_ROUTE: "1" };
    const bare = await app.request("/__bench/bare", {}, benchEnv);
    expect([bare.status, await bare.text()]).toEqual([200, "ok"]);
    const floor = await app.request("/__bench/floor", {}, benchEnv);
    expect([floor.status, await floor.text()]).toEqual([200, "ok"]);
    // Its D1 write is the one it claims to measure.
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM events WHERE merchant_id = '__bench'").first<{
      n: number;
    }>();
    expect(row?.n).toBe(1);
  });

  it("answers the bench's DO-only floor and its read-model count only where BENCH_BARE_ROUTE is set", async () => {
    const { key, merchant, customer, card } = await shopper();
    await createPurchase(key, purchaseBody(customer.id, card.id));
    const count = `/__bench/purchases/count?merchant=${merchant.id}`;
    await expectProblem(call("/__bench/floor-do"), 404, "not_found");
    await expectProblem(call(count), 404, "not_found");

    const benchEnv = { BENCH_BARE_ROUTE: "1" };
    const events = () => env.DB.prepare("SELECT COUNT(*) AS n FROM events WHERE merchant_id = '__bench'").first();
    const before = await events();
    const floor = await callWithEnv("/__bench/floor-do", {}, benchEnv);
    expect([floor.status, await floor.text()]).toEqual([200, "ok"]);
    // Its one write is in the Durable Object: D1 gets nothing.
    expect(await events()).toEqual(before);
    expect(await (await callWithEnv(count, {}, benchEnv)).json()).toEqual({ count: 1 });
  });

  it("puts a Request-Id on every response", async () => {
    const { res } = await call("/health");
    expect(res.headers.get("Request-Id")).toMatch(/^req_[0-9A-Z]{26}$/);
  });
});

describe("collections policy configuration", () => {
  it("uses the defaults when unset and reports a broken COLLECTIONS_POLICY on /health", async () => {
    expect(policyFromConfig(undefined)).toEqual({ ok: true, policy: DEFAULT_POLICY });
    const custom = policyFromConfig('{"retry_offsets_days":[2,5],"late_fee":{"amount_major":3}}');
    expect(custom.ok && custom.policy.retry_offsets_days).toEqual([2, 5]);
    expect(custom.ok && custom.policy.late_fee).toEqual({ amount_major: 3, cap_bps: 2500, cap_major: 25 });
    expect(policyFromConfig("{oops")).toMatchObject({ ok: false });
    expect(policyFromConfig('{"retry_offsets_days":[5,2]}')).toMatchObject({ ok: false });

    const res = await callWithEnv("/health", {}, { COLLECTIONS_POLICY: '{"late_fee":{"amount_major":-1}}' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", checks: { collections_policy: "error" } });
  });
});
