import { env } from "cloudflare:test";
import type { ApiKey, ApiKeyWithSecret } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { call, createMerchant, expectProblem, liveKeyFor } from "../helpers";
import { Isolate, keyRows, listKeys, restrictedKey, secretKey } from "./keys-kit";

describe("GET /v1/keys", () => {
  it("lists the merchant's keys of the caller's mode, newest first, with prefixes and never a key or its hash", async () => {
    const merchant = await createMerchant("Key Lister");
    const live = await liveKeyFor(merchant.id);
    const bi = await restrictedKey(merchant.secret_key, ["reports:read"], "Looker");
    const keys = await listKeys(merchant.secret_key);
    expect(keys.map((k) => k.id)).toEqual([bi.id, expect.stringMatching(/^key_/)]);
    expect(keys[0]).toEqual({
      id: bi.id,
      object: "api_key",
      merchant: merchant.id,
      mode: "test",
      type: "restricted",
      name: "Looker",
      prefix: bi.secret_key.slice(0, 12),
      scopes: ["reports:read"],
      created_at: bi.created_at,
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
    } satisfies ApiKey);
    expect(keys[1]).toMatchObject({ type: "secret", scopes: null, prefix: merchant.secret_key.slice(0, 12) });
    const text = JSON.stringify(keys);
    for (const secret of [merchant.secret_key, bi.secret_key]) {
      expect(text).not.toContain(secret.slice(8));
      expect(text).not.toContain(await sha256Hex(secret));
    }
    // The live key lists the live keys only.
    expect((await listKeys(live)).map((k) => k.mode)).toEqual(["live"]);
  });

  it("pages with limit and starting_after", async () => {
    const { secret_key: key } = await createMerchant();
    const made = [await secretKey(key), await secretKey(key)];
    const first = await call<{ data: ApiKey[]; has_more: boolean }>("/v1/keys?limit=2", { key });
    expect(first.body.data.map((k) => k.id)).toEqual([made[1]?.id, made[0]?.id]);
    expect(first.body.has_more).toBe(true);
    const next = await call<{ data: ApiKey[]; has_more: boolean }>(`/v1/keys?limit=2&starting_after=${made[0]?.id}`, {
      key,
    });
    expect(next.body.data).toHaveLength(1);
    expect(next.body.has_more).toBe(false);
  });
});

describe("POST /v1/keys", () => {
  it("creates a restricted key of the caller's mode, shown once, stored as a hash", async () => {
    const merchant = await createMerchant();
    const live = await liveKeyFor(merchant.id);
    const made = await call<ApiKeyWithSecret>("/v1/keys", {
      key: live,
      body: { type: "restricted", scopes: ["read_only", "read_only"] },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      object: "api_key",
      mode: "live",
      type: "restricted",
      scopes: ["read_only"],
      name: null,
    });
    expect(made.body.secret_key).toMatch(/^rk_live_[0-9A-Za-z]{32}$/);
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(made.body.id).first();
    expect(JSON.stringify(row)).not.toContain(made.body.secret_key.slice(8));
    expect(row).toMatchObject({
      key_hash: await sha256Hex(made.body.secret_key),
      prefix: made.body.secret_key.slice(0, 12),
    });
  });

  it("creates another secret key, which works beside the first", async () => {
    const { secret_key: key } = await createMerchant();
    const second = await secretKey(key);
    expect(second).toMatchObject({ type: "secret", scopes: null, mode: "test" });
    expect(second.secret_key).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);
    expect((await call("/v1/customers", { key: second.secret_key })).status).toBe(200);
  });

  it("replays a creation with the same Idempotency-Key through the admin routes' path: one key stored", async () => {
    const merchant = await createMerchant();
    const headers = { "Idempotency-Key": "make-one-key" };
    const body = { type: "restricted", scopes: ["reports:read"] };
    const first = await call<ApiKeyWithSecret>("/v1/keys", { key: merchant.secret_key, body, headers });
    const again = await call<ApiKeyWithSecret>("/v1/keys", { key: merchant.secret_key, body, headers });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await listKeys(merchant.secret_key)).toHaveLength(2);
  });

  it("refuses a body that is not one of the two kinds, writing nothing", async () => {
    const merchant = await createMerchant();
    const before = await keyRows(merchant.id);
    for (const body of [
      {},
      { type: "restricted" },
      { type: "restricted", scopes: [] },
      { type: "restricted", scopes: ["payments:write"] },
      { type: "secret", scopes: ["read_only"] },
      { type: "admin" },
      { type: "secret", name: "" },
    ]) {
      await expectProblem(call("/v1/keys", { key: merchant.secret_key, body }), 400, "validation_error");
    }
    expect(await keyRows(merchant.id)).toBe(before);
  });
});

describe("POST /v1/keys/{id}/roll and /revoke: refusals", () => {
  it("answers 404 for another merchant's key and for the other mode's key, writing nothing", async () => {
    const mine = await createMerchant();
    const theirs = await createMerchant();
    const [theirKey] = await listKeys(theirs.secret_key);
    const liveKey = await liveKeyFor(mine.id);
    const [myLiveKey] = await listKeys(liveKey);
    const before = [await keyRows(mine.id), await keyRows(theirs.id)];
    for (const id of [theirKey?.id, myLiveKey?.id, "key_nope"]) {
      await expectProblem(call(`/v1/keys/${id}/roll`, { key: mine.secret_key, body: {} }), 404, "not_found");
      await expectProblem(call(`/v1/keys/${id}/revoke`, { key: mine.secret_key, body: {} }), 404, "not_found");
    }
    expect([await keyRows(mine.id), await keyRows(theirs.id)]).toEqual(before);
  });

  it("refuses a grace period outside 0 to 7 days, and a second roll of the same key, writing nothing", async () => {
    const merchant = await createMerchant();
    const [key] = await listKeys(merchant.secret_key);
    const path = `/v1/keys/${key?.id}/roll`;
    const before = await keyRows(merchant.id);
    for (const expires_in of [-1, 604_801, 1.5, "60"]) {
      await expectProblem(call(path, { key: merchant.secret_key, body: { expires_in } }), 400, "validation_error");
    }
    expect(await keyRows(merchant.id)).toBe(before);
    const successor = await call<ApiKeyWithSecret>(path, { key: merchant.secret_key, body: { expires_in: 604_800 } });
    expect(successor.status).toBe(201);
    const rolled = await keyRows(merchant.id);
    await expectProblem(call(path, { key: successor.body.secret_key, body: {} }), 400, "invalid_state");
    expect(await keyRows(merchant.id)).toBe(rolled);
  });

  it("will not revoke the merchant's last secret key of a mode, writing nothing; roll it instead", async () => {
    const merchant = await createMerchant();
    const [only] = await listKeys(merchant.secret_key);
    const reader = await restrictedKey(merchant.secret_key, ["read_only"]);
    const before = await keyRows(merchant.id);
    const p = await expectProblem(
      call(`/v1/keys/${only?.id}/revoke`, { key: merchant.secret_key, body: {} }),
      400,
      "invalid_state",
    );
    expect(p.detail).toContain("lock you out");
    // A key being rolled out does not count as the one that stays.
    const successor = await call<ApiKeyWithSecret>(`/v1/keys/${only?.id}/roll`, {
      key: merchant.secret_key,
      body: { expires_in: 60 },
    });
    const rolled = await keyRows(merchant.id);
    await expectProblem(
      call(`/v1/keys/${successor.body.id}/revoke`, { key: successor.body.secret_key, body: {} }),
      400,
      "invalid_state",
    );
    expect(await keyRows(merchant.id)).toBe(rolled);
    expect(rolled).not.toBe(before);
    // A restricted key can always be revoked, and ending the old key's grace period early too.
    for (const id of [reader.id, only?.id]) {
      const revoked = await call<ApiKey>(`/v1/keys/${id}/revoke`, { key: successor.body.secret_key, body: {} });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revoked_at).toEqual(expect.any(String));
    }
  });
});

describe("POST /v1/keys/{id}/revoke", () => {
  it("revokes the key the merchant calls with while another secret key stays; the next request is refused", async () => {
    const merchant = await createMerchant();
    const [first] = await listKeys(merchant.secret_key);
    const second = await secretKey(merchant.secret_key);
    const isolate = new Isolate();
    const answer = await isolate.call(`/v1/keys/${first?.id}/revoke`, merchant.secret_key, {});
    expect(answer.status).toBe(200);
    const revoked = (await answer.json()) as ApiKey;
    expect(revoked).toMatchObject({ id: first?.id, revoked_at: expect.any(String) });
    isolate.now += 1_000;
    expect(await isolate.status("/v1/customers", merchant.secret_key)).toBe("401 invalid_api_key");
    // Again: nothing changes, the same key is answered.
    const again = await call<ApiKey>(`/v1/keys/${first?.id}/revoke`, { key: second.secret_key, body: {} });
    expect(again.body).toEqual(revoked);
    const before = await keyRows(merchant.id);
    await expectProblem(call(`/v1/keys/${first?.id}/roll`, { key: second.secret_key, body: {} }), 400, "invalid_state");
    expect(await keyRows(merchant.id)).toBe(before);
  });
});
