// tranche.keys and tranche.admin.keys against the real Worker.
import { describe, expect, it } from "vitest";
import { AuthenticationError, InvalidRequestError, PermissionDeniedError } from "../../src";
import { admin, client, rejection } from "./helpers";

describe("API keys", () => {
  it("creates a restricted key that reads reports and is refused a purchase, rolls and revokes keys", async () => {
    const merchant = await admin.merchants.create({ name: "Keyholder" });
    const tranche = client(merchant.secret_key);
    const bi = await tranche.keys.create({ type: "restricted", name: "Metabase", scopes: ["reports:read"] });
    expect(bi.secret_key).toMatch(/^rk_test_/);
    const reader = client(bi.secret_key);
    expect((await reader.reports.aging({})).object).toBe("report");
    await rejection(reader.customers.create({ name: "Mallory" }), PermissionDeniedError, 403, "permission_denied");

    const listed = [];
    for await (const key of tranche.keys.list({ limit: 1 })) listed.push(key);
    expect(listed.map((k) => k.type)).toEqual(["restricted", "secret"]);

    const [, own] = listed;
    await rejection(tranche.keys.revoke(own?.id ?? ""), InvalidRequestError, 400, "invalid_state");
    const successor = await tranche.keys.roll(own?.id ?? "", { expires_in: 3600 });
    expect(successor).toMatchObject({ type: "secret", expires_at: null });
    const next = client(successor.secret_key);
    expect((await next.keys.revoke(bi.id)).revoked_at).toEqual(expect.any(String));

    expect((await admin.admin.keys.list(merchant.id)).data).toHaveLength(3);
    expect((await admin.admin.keys.revoke(successor.id)).revoked_at).toEqual(expect.any(String));
    await rejection(client("sk_test_short").keys.list(), AuthenticationError, 401, "invalid_api_key");
  });
});
