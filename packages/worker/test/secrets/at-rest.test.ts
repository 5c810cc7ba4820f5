// A secret shown once is never stored in the clear: not in the idempotency records that replay the
// answer, not in D1's webhook_endpoints, not in an endpoint's object; a replay still shows it (issue 20).

import { env } from "cloudflare:test";
import type { ApiKeyWithSecret, MerchantWithKey, WebhookEndpointWithSecret } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { idempotencyShard } from "../../src/middleware/idempotency";
import { ADMIN_TOKEN, call, createMerchant } from "../helpers";
import { endpointWith, event, runNextAlarm } from "../webhooks/webhook-delivery-kit";
import { rawRow, storedRow } from "../webhooks/webhook-endpoints-kit";
import { endpointObjectText, endpointRowsText, idempotencyText } from "./secrets-kit";

const SEALED = /^enc:v1:t1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/;

/** A POST with an Idempotency-Key, sent twice: the answers and the key. */
async function postTwice<T>(path: string, key: string, body?: unknown) {
  const idempotencyKey = crypto.randomUUID();
  const send = () => call<T>(path, { key, method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } });
  const first = await send();
  const replay = await send();
  return { first, replay, idempotencyKey };
}

describe("secrets at rest", () => {
  it("keeps a new merchant's key sealed in its idempotency record, and replays it in full", async () => {
    const { first, replay, idempotencyKey } = await postTwice<MerchantWithKey>("/v1/merchants", ADMIN_TOKEN, {
      name: "Sealed Shop",
    });
    expect(first.status).toBe(201);
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    const stored = await idempotencyText("admin", idempotencyKey);
    expect(stored).toContain(first.body.id);
    expect(stored).not.toContain(first.body.secret_key);
    expect(stored).not.toContain(first.body.secret_key.slice(8));
    expect(stored).toMatch(/"secret_key\\":\\"enc:v1:t1:/);
  });

  it("keeps an issued key (test or live) sealed, and its replay still authenticates", async () => {
    const merchant = await createMerchant();
    for (const mode of ["test", "live"]) {
      const path = `/v1/merchants/${merchant.id}/keys`;
      const { first, replay, idempotencyKey } = await postTwice<ApiKeyWithSecret>(path, ADMIN_TOKEN, { mode });
      expect(first.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.body.secret_key).toMatch(new RegExp(`^sk_${mode}_`));
      const stored = await idempotencyText("admin", idempotencyKey);
      expect(stored).toContain(first.body.id);
      expect(stored).not.toContain(first.body.secret_key);
      expect((await call("/v1/customers?limit=1", { key: replay.body.secret_key })).status).toBe(200);
    }
  });

  it("seals a webhook endpoint's secret in D1, in its idempotency record and after a rotation", async () => {
    const merchant = await createMerchant();
    const created = await postTwice<WebhookEndpointWithSecret>("/v1/webhook_endpoints", merchant.secret_key, {
      url: "https://shop.example.com/hooks",
      enabled_events: ["*"],
    });
    expect(created.first.status).toBe(201);
    expect(created.replay.body).toEqual(created.first.body);
    const { id, secret } = created.first.body;
    const scope = `${merchant.id}:test`;
    expect(await idempotencyText(scope, created.idempotencyKey)).not.toContain(secret);

    const rotated = await postTwice<WebhookEndpointWithSecret>(
      `/v1/webhook_endpoints/${id}/rotate_secret`,
      merchant.secret_key,
    );
    expect(rotated.first.status).toBe(200);
    expect(rotated.replay.body.secret).toBe(rotated.first.body.secret);
    expect(await idempotencyText(scope, rotated.idempotencyKey)).not.toContain(rotated.first.body.secret);

    const raw = await rawRow(id);
    expect(raw.secret).toMatch(SEALED);
    expect(raw.previous_secret).toMatch(SEALED);
    const rows = await endpointRowsText(merchant.id);
    for (const s of [secret, rotated.first.body.secret]) expect(rows).not.toContain(s.slice(6));
    // Opened with the key, they are the secrets shown.
    expect(await storedRow(id)).toMatchObject({ secret: rotated.first.body.secret, previous_secret: secret });
  });

  it("seals a record stored in the clear before this release on its first replay, which still shows it", async () => {
    const key = crypto.randomUUID();
    const body = JSON.stringify({ name: "Old Record" });
    const answer = JSON.stringify({ id: "mer_old", object: "merchant", secret_key: `sk_test_${"a".repeat(32)}` });
    const stub = idempotencyShard(env, "admin", key);
    await stub.begin(key, await sha256Hex(`POST /v1/merchants\n${body}`));
    await stub.complete(key, { status: 201, body: answer });
    expect(await idempotencyText("admin", key)).toContain("a".repeat(32));
    const replay = await call("/v1/merchants", { key: ADMIN_TOKEN, raw: body, headers: { "Idempotency-Key": key } });
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(JSON.stringify(replay.body)).toBe(answer);
    expect(await idempotencyText("admin", key)).not.toContain("a".repeat(32));
    const again = await call("/v1/merchants", { key: ADMIN_TOKEN, raw: body, headers: { "Idempotency-Key": key } });
    expect(JSON.stringify(again.body)).toBe(answer);
  });

  it("signs deliveries with the opened secret and stores it nowhere in the endpoint's object", async () => {
    const { endpoint, stub, receiver } = await endpointWith();
    await stub.enqueue(endpoint.id, [event()]);
    await runNextAlarm(stub, receiver);
    expect(receiver.received).toHaveLength(1);
    expect((await rawRow(endpoint.id)).secret).toMatch(SEALED);
    const stored = await endpointObjectText(endpoint.id);
    expect(stored).toContain(endpoint.id);
    expect(stored).not.toContain(endpoint.secret.slice(6));
  });
});
