// Without a usable SECRETS_KEY, the routes that issue secrets answer 503 secrets_unavailable before
// they run, everything else keeps working, and /health/ready names it (issue 20).
import { env } from "cloudflare:test";
import type { Problem } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminPostWithEnv, callWithEnv, createMerchant } from "../helpers";
import { endpointWith, event, runNextAlarm } from "../webhooks/webhook-delivery-kit";
import { rawRow, rowsOf } from "../webhooks/webhook-endpoints-kit";

const post = (path: string, key: string, body: unknown, overrides: Record<string, unknown>) =>
  callWithEnv(
    path,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Idempotency-Key": path },
      body: JSON.stringify(body),
    },
    overrides,
  );

const merchantCount = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM merchants").first<{ n: number }>())?.n;

describe("a deployment without SECRETS_KEY", () => {
  for (const [name, SECRETS_KEY] of [
    ["unset", undefined],
    ["malformed", "not-a-key"],
  ]) {
    it(`(${name}) refuses to issue a secret with 503 and writes nothing; other routes answer`, async () => {
      const merchant = await createMerchant();
      const before = await merchantCount();
      const refusals = [
        await adminPostWithEnv("/v1/merchants", { name: "No Keys" }, { SECRETS_KEY }),
        await adminPostWithEnv(`/v1/merchants/${merchant.id}/keys`, { mode: "test" }, { SECRETS_KEY }),
        await post(
          "/v1/webhook_endpoints",
          merchant.secret_key,
          { url: "https://a.example/h", enabled_events: ["*"] },
          {
            SECRETS_KEY,
          },
        ),
      ];
      for (const res of refusals) {
        expect(res.status).toBe(503);
        const problem = (await res.json()) as Problem;
        expect(problem.code).toBe("secrets_unavailable");
        expect(problem.detail).toContain("SECRETS_KEY");
      }
      expect(await merchantCount()).toBe(before);
      expect(await rowsOf(merchant.id)).toBe(0);
      const keys = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE merchant_id = ?")
        .bind(merchant.id)
        .first<{ n: number }>();
      expect(keys?.n).toBe(1);
      const auth = { headers: { Authorization: `Bearer ${merchant.secret_key}` } };
      expect((await callWithEnv("/v1/customers?limit=1", auth, { SECRETS_KEY })).status).toBe(200);

      const ready = await callWithEnv(
        "/health/ready",
        { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
        {
          SECRETS_KEY,
        },
      );
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { failing: string[]; checks: { secrets: { detail: string } } };
      expect(body.failing).toEqual(["secrets"]);
      expect(body.checks.secrets.detail).toMatch(/SECRETS_KEY/);
    });
  }
});

describe("a secret stored before secrets were sealed", () => {
  it("signs its next delivery and is sealed in D1 by it: the one-off re-encryption on read", async () => {
    const { endpoint, stub, receiver } = await endpointWith();
    await env.DB.prepare("UPDATE webhook_endpoints SET secret = ? WHERE id = ?")
      .bind(endpoint.secret, endpoint.id)
      .run();
    await stub.enqueue(endpoint.id, [event()]);
    await runNextAlarm(stub, receiver);
    expect(receiver.received).toHaveLength(1);
    expect((await rawRow(endpoint.id)).secret).toMatch(/^enc:v1:t1:/);
  });
});
