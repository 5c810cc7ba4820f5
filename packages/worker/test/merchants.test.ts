import { env } from "cloudflare:test";
import type { ApiKeyWithSecret } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/crypto";
import { KEY_CACHE_TTL_MS } from "../src/middleware/auth";
import { ADMIN_TOKEN, adminPostWithEnv, call, createMerchant, expectProblem } from "./helpers";

describe("POST /v1/merchants (admin)", () => {
  it("creates a merchant and shows its test key once, storing only a hash", async () => {
    const merchant = await createMerchant("Hashed Goods");
    expect(merchant).toMatchObject({ object: "merchant", name: "Hashed Goods", email: null });
    expect(merchant.id).toMatch(/^mer_/);
    expect(merchant.secret_key).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);

    const rows = await env.DB.prepare("SELECT * FROM api_keys WHERE merchant_id = ?").bind(merchant.id).all();
    expect(rows.results).toHaveLength(1);
    expect(JSON.stringify(rows.results)).not.toContain(merchant.secret_key.slice(8));
    expect(rows.results[0]).toMatchObject({ mode: "test", prefix: merchant.secret_key.slice(0, 12) });

    // The key works.
    expect((await call("/v1/customers", { key: merchant.secret_key })).status).toBe(200);
  });

  it("requires the admin token", async () => {
    await expectProblem(call("/v1/merchants", { body: { name: "x" } }), 401, "authentication_required");
    await expectProblem(call("/v1/merchants", { key: "wrong", body: { name: "x" } }), 401, "invalid_api_key");
    const merchant = await createMerchant();
    await expectProblem(
      call("/v1/merchants", { key: merchant.secret_key, body: { name: "x" } }),
      401,
      "invalid_api_key",
    );
  });

  it("is off (404) when no ADMIN_TOKEN is set, as is issuing keys", async () => {
    const merchant = await createMerchant();
    for (const [path, body] of [
      ["/v1/merchants", { name: "x" }],
      [`/v1/merchants/${merchant.id}/keys`, {}],
    ] as const) {
      const res = await adminPostWithEnv(path, body, { ADMIN_TOKEN: undefined });
      expect(res.status).toBe(404);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
  });

  it("validates the body and writes nothing on bad input", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM merchants").first<{ n: number }>();
    const p = await expectProblem(
      call("/v1/merchants", { key: ADMIN_TOKEN, body: { name: "", extra: 1 } }),
      400,
      "validation_error",
    );
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["body", "name"]);
    await expectProblem(call("/v1/merchants", { key: ADMIN_TOKEN, raw: "{nope" }), 400, "malformed_json");
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM merchants").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});

describe("POST /v1/merchants/{id}/keys (admin)", () => {
  const path = (id: string) => `/v1/merchants/${id}/keys`;

  it("issues a test key by default, beside the merchant's other keys", async () => {
    const merchant = await createMerchant();
    const { status, body } = await call<ApiKeyWithSecret>(path(merchant.id), { key: ADMIN_TOKEN, body: {} });
    expect(status).toBe(201);
    expect(body).toMatchObject({ object: "api_key", merchant: merchant.id, mode: "test" });
    expect(body.secret_key).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);
    expect(body.secret_key).not.toBe(merchant.secret_key);
    for (const key of [body.secret_key, merchant.secret_key]) {
      expect((await call("/v1/customers", { key })).status).toBe(200);
    }
  });

  it("answers 404 for an unknown merchant, and validates the mode, writing nothing", async () => {
    const count = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>())?.n;
    const before = await count();
    await expectProblem(call(path("mer_nope"), { key: ADMIN_TOKEN, body: { mode: "live" } }), 404, "not_found");
    const merchant = await createMerchant();
    await expectProblem(call(path(merchant.id), { key: ADMIN_TOKEN, body: { mode: "prod" } }), 400, "validation_error");
    expect(await count()).toBe((before ?? 0) + 1);
  });

  it("requires the admin token: a merchant's own key cannot issue keys", async () => {
    const merchant = await createMerchant();
    await expectProblem(call(path(merchant.id), { body: {} }), 401, "authentication_required");
    await expectProblem(call(path(merchant.id), { key: merchant.secret_key, body: {} }), 401, "invalid_api_key");
  });
});

describe("the API key cache", () => {
  it("stops taking a key revoked in the directory within a second", async () => {
    const { secret_key: key } = await createMerchant("Revoked Outfitters");
    // The first request caches the key in this isolate.
    expect((await call("/v1/customers", { key })).status).toBe(200);
    await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE key_hash = ?")
      .bind(new Date().toISOString(), await sha256Hex(key))
      .run();
    await new Promise((resolve) => setTimeout(resolve, KEY_CACHE_TTL_MS + 50));
    await expectProblem(call("/v1/customers", { key }), 401, "invalid_api_key");
  });
});
