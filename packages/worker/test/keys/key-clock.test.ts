import type { ApiKeyWithSecret } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { LAST_USED_GRANULARITY_MS } from "../../src/keys/last-used";
import { KEY_CACHE_TTL_MS } from "../../src/middleware/auth";
import { call, createMerchant } from "../helpers";
import { Isolate, lastUsedAt, listKeys, restrictedKey, secretKey } from "./keys-kit";

const HOUR = 3_600_000;

/** Rolls `id` with the caller's key and returns its successor. */
async function roll(key: string, id: string, expiresIn?: number): Promise<ApiKeyWithSecret> {
  const body = expiresIn === undefined ? {} : { expires_in: expiresIn };
  const rolled = await call<ApiKeyWithSecret>(`/v1/keys/${id}/roll`, { key, body });
  expect(rolled.status).toBe(201);
  return rolled.body;
}

describe("a rolled key's grace period, on the test clock", () => {
  it("keeps the old key working until its grace period ends, and refuses it from then on", async () => {
    const { secret_key: old } = await createMerchant("Rolling Stores");
    const [mine] = await listKeys(old);
    const isolate = new Isolate();
    const rolledAt = Date.now();
    const successor = await roll(old, mine?.id ?? "", 3600);
    expect(successor.secret_key).toMatch(/^sk_test_/);
    expect(successor.id).not.toBe(mine?.id);
    const [, rolled] = await listKeys(successor.secret_key);
    expect(rolled?.id).toBe(mine?.id);
    const end = Date.parse(rolled?.expires_at ?? "");
    expect(end - rolledAt).toBeGreaterThanOrEqual(HOUR);

    isolate.now = end - 1;
    expect(await isolate.status("/v1/customers", old)).toBe(200);
    // Cached a moment ago, and still refused on time: the cache never stretches a grace period.
    isolate.now = end;
    expect(await isolate.status("/v1/customers", old)).toBe("401 invalid_api_key");
    isolate.now = end + 7 * 24 * HOUR;
    expect(await isolate.status("/v1/customers", successor.secret_key)).toBe(200);
  });

  it("refuses the old key at once by default (expires_in 0, Stripe's default), and the successor keeps its kind", async () => {
    const { secret_key: key } = await createMerchant();
    const bi = await restrictedKey(key, ["reports:read", "analytics:read"], "Metabase");
    const successor = await roll(key, bi.id);
    expect(successor).toMatchObject({
      type: "restricted",
      name: "Metabase",
      scopes: ["reports:read", "analytics:read"],
    });
    expect(successor.secret_key).toMatch(/^rk_test_/);
    const isolate = new Isolate();
    expect(await isolate.status("/v1/reports/aging", bi.secret_key)).toBe("401 invalid_api_key");
    expect(await isolate.status("/v1/reports/aging", successor.secret_key)).toBe(200);
  });
});

describe("a revoked key, across two isolates", () => {
  it("is refused by the other isolate on its first request once its cached read is a second old", async () => {
    const { secret_key: key } = await createMerchant("Two Isolates");
    const second = await secretKey(key);
    // Isolate A reads the key from the directory and caches it, on a clock that stands still.
    const a = new Isolate();
    expect(await a.status("/v1/customers", second.secret_key)).toBe(200);
    // Isolate B (the test's Worker) revokes it.
    expect((await call(`/v1/keys/${second.id}/revoke`, { key, body: {} })).status).toBe(200);
    // A answers from its cache until the cache's second is over, and refuses the key on the next request after.
    expect(await a.status("/v1/customers", second.secret_key)).toBe(200);
    a.now += KEY_CACHE_TTL_MS;
    expect(await a.status("/v1/customers", second.secret_key)).toBe("401 invalid_api_key");
    expect(await new Isolate().status("/v1/customers", second.secret_key)).toBe("401 invalid_api_key");
  });
});

describe("last_used_at", () => {
  it("is written at most once a minute per key, only by a request that succeeded", async () => {
    const { secret_key: key } = await createMerchant("Last Used");
    const reader = await restrictedKey(key, ["reports:read"]);
    const isolate = new Isolate(Date.parse("2030-01-01T00:00:00.000Z"));
    expect(await lastUsedAt(reader.id)).toBeNull();

    // Refusals record nothing.
    expect(await isolate.status("/v1/customers", reader.secret_key)).toBe("403 permission_denied");
    expect(await isolate.status("/v1/reports/nope", reader.secret_key)).toBe("404 not_found");
    expect(await lastUsedAt(reader.id)).toBeNull();

    expect(await isolate.status("/v1/reports/aging", reader.secret_key)).toBe(200);
    expect(await lastUsedAt(reader.id)).toBe("2030-01-01T00:00:00.000Z");
    // Within the minute: nothing written, in this isolate or a fresh one.
    isolate.now += LAST_USED_GRANULARITY_MS - 1;
    expect(await isolate.status("/v1/reports/aging", reader.secret_key)).toBe(200);
    const fresh = new Isolate(isolate.now);
    expect(await fresh.status("/v1/reports/aging", reader.secret_key)).toBe(200);
    expect(await lastUsedAt(reader.id)).toBe("2030-01-01T00:00:00.000Z");
    // A minute on, the next success records it again.
    isolate.now += 1;
    expect(await isolate.status("/v1/reports/aging", reader.secret_key)).toBe(200);
    expect(await lastUsedAt(reader.id)).toBe("2030-01-01T00:01:00.000Z");
  });
});
