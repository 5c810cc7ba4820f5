import type { ApiKey, List } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  adminPostWithEnv,
  call,
  callWithEnv,
  createMerchant,
  expectProblem,
  liveKeyFor,
} from "../helpers";
import { Isolate, keyRows, listKeys, restrictedKey } from "./keys-kit";

const listPath = (merchant: string) => `/v1/admin/merchants/${merchant}/keys`;
const revokePath = (key: string) => `/v1/admin/keys/${key}/revoke`;

describe("the operator's key routes", () => {
  it("lists a merchant's keys of both modes", async () => {
    const merchant = await createMerchant();
    await liveKeyFor(merchant.id);
    await restrictedKey(merchant.secret_key, ["read_only"]);
    const { status, body } = await call<List<ApiKey>>(listPath(merchant.id), { key: ADMIN_TOKEN });
    expect(status).toBe(200);
    expect(body.data.map((k) => [k.mode, k.type])).toEqual([
      ["test", "restricted"],
      ["live", "secret"],
      ["test", "secret"],
    ]);
    await expectProblem(call(listPath("mer_nope"), { key: ADMIN_TOKEN }), 404, "not_found");
  });

  it("revokes any key, even the merchant's last secret key, refused from the next second on", async () => {
    const merchant = await createMerchant();
    const [only] = await listKeys(merchant.secret_key);
    const isolate = new Isolate();
    expect(await isolate.status("/v1/customers", merchant.secret_key)).toBe(200);
    const revoked = await call<ApiKey>(revokePath(only?.id ?? ""), { key: ADMIN_TOKEN, body: {} });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: only?.id, merchant: merchant.id, revoked_at: expect.any(String) });
    isolate.now += 1_000;
    expect(await isolate.status("/v1/customers", merchant.secret_key)).toBe("401 invalid_api_key");
    const again = await call<ApiKey>(revokePath(only?.id ?? ""), { key: ADMIN_TOKEN, body: {} });
    expect(again.body).toEqual(revoked.body);
    await expectProblem(call(revokePath("key_nope"), { key: ADMIN_TOKEN, body: {} }), 404, "not_found");
  });

  it("takes the admin token only: a merchant's key is refused, writing nothing", async () => {
    const merchant = await createMerchant();
    const [only] = await listKeys(merchant.secret_key);
    const before = await keyRows(merchant.id);
    await expectProblem(call(listPath(merchant.id), { key: merchant.secret_key }), 401, "invalid_api_key");
    await expectProblem(
      call(revokePath(only?.id ?? ""), { key: merchant.secret_key, body: {} }),
      401,
      "invalid_api_key",
    );
    await expectProblem(call(revokePath(only?.id ?? ""), { body: {} }), 401, "authentication_required");
    expect(await keyRows(merchant.id)).toBe(before);
  });

  it("is off (404) when no ADMIN_TOKEN is set", async () => {
    const merchant = await createMerchant();
    const [only] = await listKeys(merchant.secret_key);
    const before = await keyRows(merchant.id);
    const revoke = await adminPostWithEnv(revokePath(only?.id ?? ""), {}, { ADMIN_TOKEN: undefined });
    const list = await callWithEnv(
      listPath(merchant.id),
      { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
      { ADMIN_TOKEN: undefined },
    );
    for (const res of [revoke, list]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    expect(await keyRows(merchant.id)).toBe(before);
  });
});
