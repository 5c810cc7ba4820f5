import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, callWithEnv, expectProblem } from "./helpers";

interface Ready {
  status: string;
  failing: string[];
  checks: Record<string, { status: string; latency_ms: number; detail?: string }>;
  environment: string;
}

const asAdmin = { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };

/** GET /health/ready with the admin token, on the app with some bindings or variables replaced. */
async function readyWith(overrides: Record<string, unknown>) {
  const res = await callWithEnv("/health/ready", asAdmin, overrides);
  return { status: res.status, body: (await res.json()) as Ready };
}

describe("GET /health/ready", () => {
  it("answers 200 with each dependency's result and latency", async () => {
    const { status, body } = await call<Ready>("/health/ready", { key: ADMIN_TOKEN });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", failing: [], environment: "development" });
    expect(Object.keys(body.checks).sort()).toEqual(["collections_policy", "customer_object", "d1", "secrets"]);
    for (const check of Object.values(body.checks)) {
      expect(check.status).toBe("ok");
      expect(check.latency_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it("is behind the admin token: 401 without it or with another, 404 where the admin surface is off", async () => {
    await expectProblem(call("/health/ready"), 401, "authentication_required");
    await expectProblem(call("/health/ready", { key: "not-the-token" }), 401, "invalid_api_key");
    expect((await callWithEnv("/health/ready", asAdmin, { ADMIN_TOKEN: undefined })).status).toBe(404);
  });

  it("answers 503 naming a broken collections policy", async () => {
    const { status, body } = await readyWith({ COLLECTIONS_POLICY: "{not json" });
    expect(status).toBe(503);
    expect(body.failing).toEqual(["collections_policy"]);
    expect(body.checks.collections_policy?.detail).toContain("not valid JSON");
    expect(body.checks.d1?.status).toBe("ok");
  });

  it("answers 503 naming D1 when its query fails", async () => {
    const down = { prepare: () => ({ first: () => Promise.reject(new Error("D1_ERROR: database unavailable")) }) };
    // Analytics to the engine, so that the request's own data point does not go to the broken D1.
    const { status, body } = await readyWith({ DB: down, ANALYTICS_BACKEND: "engine" });
    expect(status).toBe(503);
    expect(body.failing).toEqual(["d1"]);
    expect(body.checks.d1?.detail).toBe("D1_ERROR: database unavailable");
  });

  it("answers 503 naming the customer object when the round trip fails", async () => {
    const broken = {
      idFromName: (name: string) => env.CUSTOMERS.idFromName(name),
      get: () => ({ getCustomer: () => Promise.reject(new Error("Durable Object reset")) }),
    };
    const { status, body } = await readyWith({ CUSTOMERS: broken });
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "failing", failing: ["customer_object"] });
    expect(body.checks.customer_object?.detail).toBe("Durable Object reset");
  });
});
