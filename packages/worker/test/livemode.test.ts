import { env } from "cloudflare:test";
import type { ApiKeyWithSecret, Customer, Problem } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/crypto";
import { processorFor } from "../src/processor/config";
import { SimulatedProcessor } from "../src/processor/simulated";
import type { SimulatorStore } from "../src/processor/simulator-store";
import { adminPostWithEnv, call, callWithEnv, createMerchant, liveKeyFor } from "./helpers";

const get = (path: string, key: string, overrides: Record<string, unknown>) =>
  callWithEnv(path, { headers: { Authorization: `Bearer ${key}` } }, overrides);

const issueLiveKey = (merchantId: string, overrides: Record<string, unknown>) =>
  adminPostWithEnv(`/v1/merchants/${merchantId}/keys`, { mode: "live" }, overrides);

const keysOf = async (merchantId: string) =>
  (
    await env.DB.prepare("SELECT mode, prefix, key_hash FROM api_keys WHERE merchant_id = ? ORDER BY created_at")
      .bind(merchantId)
      .all<{ mode: string; prefix: string; key_hash: string }>()
  ).results;

describe("live mode", () => {
  it("refuses a sk_live_ key with 403 livemode_unavailable where no processor is configured for it", async () => {
    const merchant = await createMerchant();
    const live = await liveKeyFor(merchant.id);
    const refused = await get("/v1/customers", live, { LIVE_PROCESSOR: undefined });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    expect(((await refused.json()) as Problem).code).toBe("livemode_unavailable");
    // An unknown adapter name is no processor either; the test key is unaffected.
    expect((await get("/v1/customers", live, { LIVE_PROCESSOR: "stripe" })).status).toBe(403);
    expect((await get("/v1/customers", merchant.secret_key, { LIVE_PROCESSOR: undefined })).status).toBe(200);
    // With an adapter configured, the same key works.
    expect((await get("/v1/customers", live, { LIVE_PROCESSOR: "simulator" })).status).toBe(200);
  });

  it("issues no live key where no processor is configured for live mode, and writes nothing", async () => {
    const merchant = await createMerchant();
    for (const LIVE_PROCESSOR of [undefined, "stripe"]) {
      const refused = await issueLiveKey(merchant.id, { LIVE_PROCESSOR });
      expect(refused.status).toBe(403);
      expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
      expect(((await refused.json()) as Problem).code).toBe("livemode_unavailable");
    }
    expect((await keysOf(merchant.id)).map((k) => k.mode)).toEqual(["test"]);
  });

  it("issues a live key where live mode has a processor: shown once, stored hashed, and usable", async () => {
    const merchant = await createMerchant();
    const res = await issueLiveKey(merchant.id, { LIVE_PROCESSOR: "simulator" });
    expect(res.status).toBe(201);
    const key = (await res.json()) as ApiKeyWithSecret;
    expect(key).toMatchObject({ object: "api_key", merchant: merchant.id, mode: "live" });
    expect(key.id).toMatch(/^key_/);
    expect(key.secret_key).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(key.prefix).toBe(key.secret_key.slice(0, 12));
    const stored = await keysOf(merchant.id);
    expect(stored.map((k) => k.mode)).toEqual(["test", "live"]);
    expect(stored[1]).toEqual({ mode: "live", prefix: key.prefix, key_hash: await sha256Hex(key.secret_key) });

    // The key works, in live mode.
    const created = await call<Customer>("/v1/customers", {
      key: key.secret_key,
      body: { email: "live@example.com", name: "Live" },
    });
    expect(created.status).toBe(201);
    expect(created.body.livemode).toBe(true);
  });

  it("chooses the processor by mode and configuration: test mode always the simulator", () => {
    const store = {} as SimulatorStore;
    const withAdapter = (LIVE_PROCESSOR: string | undefined) => ({ ...env, LIVE_PROCESSOR }) as Env;
    expect(processorFor(withAdapter(undefined), false, store)).toBeInstanceOf(SimulatedProcessor);
    expect(processorFor(withAdapter(undefined), true, store)).toBeUndefined();
    expect(processorFor(withAdapter("toString"), true, store)).toBeUndefined();
    expect(processorFor(withAdapter("simulator"), true, store)).toBeInstanceOf(SimulatedProcessor);
  });
});
