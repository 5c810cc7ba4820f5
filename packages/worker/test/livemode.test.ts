import { env } from "cloudflare:test";
import type { Problem } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { processorFor } from "../src/processor/config";
import { SimulatedProcessor } from "../src/processor/simulated";
import type { SimulatorStore } from "../src/processor/simulator-store";
import { callWithEnv, createMerchant, liveKeyFor } from "./helpers";

const get = (path: string, key: string, overrides: Record<string, unknown>) =>
  callWithEnv(path, { headers: { Authorization: `Bearer ${key}` } }, overrides);

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

  it("chooses the processor by mode and configuration: test mode always the simulator", () => {
    const store = {} as SimulatorStore;
    const withAdapter = (LIVE_PROCESSOR: string | undefined) => ({ ...env, LIVE_PROCESSOR }) as Env;
    expect(processorFor(withAdapter(undefined), false, store)).toBeInstanceOf(SimulatedProcessor);
    expect(processorFor(withAdapter(undefined), true, store)).toBeUndefined();
    expect(processorFor(withAdapter("toString"), true, store)).toBeUndefined();
    expect(processorFor(withAdapter("simulator"), true, store)).toBeInstanceOf(SimulatedProcessor);
  });
});
