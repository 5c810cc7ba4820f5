// SECRETS_KEY's keyring (src/secrets/keyring.ts): what it seals opens only under its key id and
// context; a rotated key list still opens what older keys sealed; a bad value says why, never echoing it.
import { describe, expect, it } from "vitest";
import { keyringFrom } from "../../src/secrets/keyring";
import type { WebhookEndpointRow } from "../../src/webhooks/rules/endpoints";
import { openSecrets } from "../../src/webhooks/storage/sealed-secrets";
import { NEXT_SECRETS_KEY, TEST_SECRETS_KEY } from "../secrets-key";

async function keyring(value: string) {
  const result = await keyringFrom(value);
  if (!result.ok) throw new Error(result.reason);
  return result.keyring;
}

describe("the keyring", () => {
  it("seals under its first key, each time differently, and opens only in the same context", async () => {
    const k = await keyring(TEST_SECRETS_KEY);
    const a = await k.seal("whsec_abc", "webhook_endpoint:we_1");
    const b = await k.seal("whsec_abc", "webhook_endpoint:we_1");
    expect(a).toMatch(/^enc:v1:t1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("abc");
    expect(await k.open(a, "webhook_endpoint:we_1")).toBe("whsec_abc");
    await expect(k.open(a, "webhook_endpoint:we_2")).rejects.toThrow();
    await expect(k.open(`${a.slice(0, -4)}AAAA`, "webhook_endpoint:we_1")).rejects.toThrow();
  });

  it("after a rotation seals under the new key and still opens the old key's; without it, says which id is missing", async () => {
    const old = await keyring(TEST_SECRETS_KEY);
    const sealed = await old.seal("sk_test_x", "c");
    const rotated = await keyring(`${NEXT_SECRETS_KEY},${TEST_SECRETS_KEY}`);
    expect(rotated.currentId).toBe("t2");
    expect(await rotated.open(sealed, "c")).toBe("sk_test_x");
    expect(await rotated.seal("sk_test_x", "c")).toMatch(/^enc:v1:t2:/);
    await expect((await keyring(NEXT_SECRETS_KEY)).open(sealed, "c")).rejects.toThrow(/key id t1/);
  });

  it("refuses a missing or malformed SECRETS_KEY with a reason that does not echo it", async () => {
    expect(await keyringFrom(undefined)).toEqual({ ok: false, reason: "SECRETS_KEY is not set" });
    for (const bad of ["c2VjcmV0", "k:c2VjcmV0", "bad id!:AAAA", `${TEST_SECRETS_KEY},${TEST_SECRETS_KEY}`]) {
      const result = await keyringFrom(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain("c2VjcmV0");
    }
  });
});

describe("webhook secrets sealed in D1", () => {
  const row = (secret: string, previousSecret: string | null) =>
    ({ id: "we_1", secret, previousSecret }) as WebhookEndpointRow;

  it("open for signing; those in the clear or under a retired key come back sealed under the current key", async () => {
    const old = await keyring(TEST_SECRETS_KEY);
    const now = await keyring(`${NEXT_SECRETS_KEY},${TEST_SECRETS_KEY}`);
    const current = row(await now.seal("whsec_new", "webhook_endpoint:we_1"), null);
    expect(await openSecrets(now, current)).toEqual({ opened: { ...current, secret: "whsec_new" } });

    const mixed = row("whsec_clear", await old.seal("whsec_old", "webhook_endpoint:we_1"));
    const { opened, resealed } = await openSecrets(now, mixed);
    expect(opened).toMatchObject({ secret: "whsec_clear", previousSecret: "whsec_old" });
    expect(resealed?.secret).toMatch(/^enc:v1:t2:/);
    expect(resealed?.previousSecret).toMatch(/^enc:v1:t2:/);
    const again = await openSecrets(now, row(resealed?.secret as string, resealed?.previousSecret as string));
    expect(again).toEqual({ opened: { ...mixed, secret: "whsec_clear", previousSecret: "whsec_old" } });
  });
});
