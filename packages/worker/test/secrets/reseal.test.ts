// After a rotation of SECRETS_KEY, POST /v1/admin/secrets/reseal re-encrypts the webhook signing
// secrets under the new key a page at a time, those stored in the clear included; the old key can
// then go. The test rotates back at the end: the other files share this database.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, callWithEnv, createMerchant } from "../helpers";
import { NEXT_SECRETS_KEY, TEST_SECRETS_KEY } from "../secrets-key";
import { createEndpoint, rawRow } from "../webhooks/webhook-endpoints-kit";

const reseal = async (SECRETS_KEY: string | undefined) => {
  const res = await callWithEnv(
    "/v1/admin/secrets/reseal",
    { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    { SECRETS_KEY },
  );
  return { status: res.status, body: (await res.json()) as { key_id: string; resealed: number; remaining: number } };
};

/** Calls the route until nothing is left, as an operator would. */
async function resealAll(SECRETS_KEY: string) {
  for (;;) {
    const { status, body } = await reseal(SECRETS_KEY);
    expect(status).toBe(200);
    if (body.remaining === 0) return body;
  }
}

const staleRows = async (keyId: string) =>
  (
    await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM webhook_endpoints WHERE secret NOT LIKE ? OR previous_secret NOT LIKE ?",
    )
      .bind(`enc:v1:${keyId}:%`, `enc:v1:${keyId}:%`)
      .first<{ n: number }>()
  )?.n;

describe("POST /v1/admin/secrets/reseal", () => {
  it("reseals every endpoint's secrets under the new key, those in the clear too, and they still open", async () => {
    const merchant = await createMerchant();
    const sealed = await createEndpoint(merchant.secret_key);
    const clear = await createEndpoint(merchant.secret_key);
    await env.DB.prepare("UPDATE webhook_endpoints SET secret = ? WHERE id = ?").bind(clear.secret, clear.id).run();
    try {
      const done = await resealAll(`${NEXT_SECRETS_KEY},${TEST_SECRETS_KEY}`);
      expect(done.key_id).toBe("t2");
      expect(await staleRows("t2")).toBe(0);
      expect((await rawRow(clear.id)).secret).toMatch(/^enc:v1:t2:/);
      // Only the new key now: what it resealed opens, so the old key can be dropped.
      const rotated = await callWithEnv(
        `/v1/webhook_endpoints/${sealed.id}/rotate_secret`,
        { method: "POST", headers: { Authorization: `Bearer ${merchant.secret_key}` } },
        { SECRETS_KEY: NEXT_SECRETS_KEY },
      );
      expect(rotated.status).toBe(200);
      expect((await rawRow(sealed.id)).previous_secret).toMatch(/^enc:v1:t2:/);
    } finally {
      await resealAll(`${TEST_SECRETS_KEY},${NEXT_SECRETS_KEY}`);
    }
    expect(await staleRows("t1")).toBe(0);
  });

  it("answers 503 secrets_unavailable without a key, and 401 without the admin token", async () => {
    expect((await reseal(undefined)).status).toBe(503);
    const res = await callWithEnv("/v1/admin/secrets/reseal", { method: "POST" }, {});
    expect(res.status).toBe(401);
  });
});
