import type { DeletedWebhookEndpoint, List, WebhookEndpoint, WebhookEndpointWithSecret } from "@tranche/shared";
import { describe, expect, it, vi } from "vitest";
import { signingSecrets, type WebhookEndpointRow } from "../../src/webhooks/rules/endpoints";
import { call, createMerchant, DAY, expectProblem, liveKeyFor } from "../helpers";
import { BASE, createEndpoint, endpointBody, rowsOf, SECRET, storedRow } from "./webhook-endpoints-kit";

describe("webhook endpoints", () => {
  it("creates, retrieves, lists, updates and deletes, showing the secret only at creation", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const created = await createEndpoint(key, { description: "Fulfilment", metadata: { team: "ops" } });
    expect(created).toMatchObject({
      object: "webhook_endpoint",
      url: "https://shop.example.com/hooks",
      enabled_events: ["installment.paid", "installment.failed"],
      description: "Fulfilment",
      status: "enabled",
      metadata: { team: "ops" },
      previous_secret_expires_at: null,
      livemode: false,
    });
    expect(created.id).toMatch(/^we_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.secret).toMatch(SECRET);
    // Stored as issued, since deliveries are signed with it.
    expect((await storedRow(created.id)).secret).toBe(created.secret);

    const { secret, ...endpoint } = created;
    const got = await call<WebhookEndpoint>(`${BASE}/${created.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(endpoint);
    const list = await call<List<WebhookEndpoint>>(BASE, { key });
    expect(list.body).toEqual({ object: "list", data: [endpoint], has_more: false });

    const patched = await call<WebhookEndpoint>(`${BASE}/${created.id}`, {
      key,
      method: "PATCH",
      body: {
        url: "https://hooks.example.com/v2",
        enabled_events: ["*"],
        description: null,
        metadata: { team: "", region: "eu" },
        status: "disabled",
      },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toEqual({
      ...endpoint,
      url: "https://hooks.example.com/v2",
      enabled_events: ["*"],
      description: null,
      metadata: { region: "eu" },
      status: "disabled",
    });
    expect((await call(`${BASE}/${created.id}`, { key })).body).toEqual(patched.body);
    // A PATCH of nothing changes nothing; status goes back to enabled.
    expect((await call(`${BASE}/${created.id}`, { key, method: "PATCH", body: {} })).body).toEqual(patched.body);
    const enabled = await call<WebhookEndpoint>(`${BASE}/${created.id}`, {
      key,
      method: "PATCH",
      body: { status: "enabled" },
    });
    expect(enabled.body.status).toBe("enabled");

    for (const body of [got.body, list.body, patched.body, enabled.body]) {
      expect(JSON.stringify(body)).not.toContain("whsec_");
    }
    expect((await storedRow(created.id)).secret).toBe(secret);

    const deleted = await call<DeletedWebhookEndpoint>(`${BASE}/${created.id}`, { key, method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: created.id, object: "webhook_endpoint", deleted: true });
    await expectProblem(call(`${BASE}/${created.id}`, { key }), 404, "not_found");
    await expectProblem(call(`${BASE}/${created.id}`, { key, method: "DELETE" }), 404, "not_found");
    expect((await call<List<WebhookEndpoint>>(BASE, { key })).body.data).toEqual([]);
    expect(await rowsOf(merchant.id)).toBe(0);
  });

  it("rotates the secret, keeping the previous one for signing for 24 hours", async () => {
    const { secret_key: key } = await createMerchant();
    const created = await createEndpoint(key);
    const before = Date.now();
    const rotated = await call<WebhookEndpointWithSecret>(`${BASE}/${created.id}/rotate_secret`, {
      key,
      method: "POST",
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.secret).toMatch(SECRET);
    expect(rotated.body.secret).not.toBe(created.secret);

    const row = await storedRow(created.id);
    expect(row.secret).toBe(rotated.body.secret);
    expect(row.previous_secret).toBe(created.secret);
    const expires = Date.parse(row.previous_secret_expires_at ?? "");
    expect(expires).toBeGreaterThanOrEqual(before + DAY);
    expect(expires).toBeLessThanOrEqual(Date.now() + DAY);
    expect(rotated.body.previous_secret_expires_at).toBe(row.previous_secret_expires_at);
    const got = await call<WebhookEndpoint>(`${BASE}/${created.id}`, { key });
    expect(got.body.previous_secret_expires_at).toBe(row.previous_secret_expires_at);
    expect(JSON.stringify(got.body)).not.toContain("whsec_");

    // What the delivery side signs with: both secrets for the day, then only the new one.
    const stored = {
      secret: row.secret,
      previousSecret: row.previous_secret,
      previousSecretExpiresAt: row.previous_secret_expires_at,
    };
    const asRow = stored as WebhookEndpointRow;
    expect(signingSecrets(asRow, expires - 1)).toEqual([rotated.body.secret, created.secret]);
    expect(signingSecrets(asRow, expires)).toEqual([rotated.body.secret]);

    // A second rotation retires the first secret at once: two sign at most.
    const again = await call<WebhookEndpointWithSecret>(`${BASE}/${created.id}/rotate_secret`, { key, method: "POST" });
    const after = await storedRow(created.id);
    expect(after.secret).toBe(again.body.secret);
    expect(after.previous_secret).toBe(rotated.body.secret);
    expect([after.secret, after.previous_secret]).not.toContain(created.secret);
  });

  it("pages newest first with a cursor", async () => {
    const { secret_key: key } = await createMerchant();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createEndpoint(key, { description: `e${i}` })).id);
    const newestFirst = made.reverse();
    const page1 = await call<List<WebhookEndpoint>>(`${BASE}?limit=2`, { key });
    expect(page1.body.data.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.body.has_more).toBe(true);
    const page2 = await call<List<WebhookEndpoint>>(`${BASE}?limit=2&starting_after=${newestFirst[1]}`, { key });
    expect(page2.body.data.map((e) => e.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = await call<List<WebhookEndpoint>>(`${BASE}?limit=2&starting_after=${newestFirst[3]}`, { key });
    expect(page3.body.data.map((e) => e.id)).toEqual(newestFirst.slice(4));
    expect(page3.body.has_more).toBe(false);
    await expectProblem(call(`${BASE}?limit=101`, { key }), 400, "validation_error");
  });

  it("answers 404 for another merchant's endpoint and across modes, and changes nothing", async () => {
    const a = await createMerchant("A");
    const b = await createMerchant("B");
    const aLive = await liveKeyFor(a.id);
    const endpoint = await createEndpoint(a.secret_key);
    const liveEndpoint = await createEndpoint(aLive, { url: "https://live.example.com/hooks" });
    expect(liveEndpoint.livemode).toBe(true);

    for (const [key, id] of [
      [b.secret_key, endpoint.id],
      [aLive, endpoint.id],
      [a.secret_key, liveEndpoint.id],
    ] as const) {
      await expectProblem(call(`${BASE}/${id}`, { key }), 404, "not_found");
      await expectProblem(
        call(`${BASE}/${id}`, { key, method: "PATCH", body: { status: "disabled" } }),
        404,
        "not_found",
      );
      await expectProblem(call(`${BASE}/${id}/rotate_secret`, { key, method: "POST" }), 404, "not_found");
      await expectProblem(call(`${BASE}/${id}`, { key, method: "DELETE" }), 404, "not_found");
    }
    const ids = async (key: string) => (await call<List<WebhookEndpoint>>(BASE, { key })).body.data.map((e) => e.id);
    expect(await ids(a.secret_key)).toEqual([endpoint.id]);
    expect(await ids(aLive)).toEqual([liveEndpoint.id]);
    expect(await ids(b.secret_key)).toEqual([]);
    const row = await storedRow(endpoint.id);
    expect({ status: row.status, secret: row.secret, previous: row.previous_secret }).toEqual({
      status: "enabled",
      secret: endpoint.secret,
      previous: null,
    });
    await expectProblem(call(`${BASE}/we_nope`, { key: a.secret_key }), 404, "not_found");
  });

  it("refuses bad event types and fields with a 400 per field, writing nothing", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const cases: [Record<string, unknown>, string[]][] = [
      [{ enabled_events: ["purchase.exploded"] }, ["enabled_events.0"]],
      [{ enabled_events: ["installment.paid", "charge.attempted"] }, ["enabled_events.1"]],
      [{ enabled_events: [] }, ["enabled_events"]],
      [{ enabled_events: ["*", "purchase.created"] }, ["enabled_events"]],
      [{ enabled_events: ["refund.failed", "refund.failed"] }, ["enabled_events"]],
      [{ url: "not a url", secret: "whsec_mine" }, ["body", "url"]],
      [{ metadata: { k: "x".repeat(501) } }, ["metadata.k"]],
    ];
    for (const [extra, paths] of cases) {
      const p = await expectProblem(call(BASE, { key, body: endpointBody(extra) }), 400, "validation_error");
      expect(p.errors?.map((e) => e.path).sort(), JSON.stringify(extra)).toEqual(paths);
    }
    await expectProblem(call(BASE, { key, body: { url: "https://example.com/" } }), 400, "validation_error");
    expect(await rowsOf(merchant.id)).toBe(0);

    const endpoint = await createEndpoint(key);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
    await expectProblem(
      call(`${BASE}/${endpoint.id}`, { key, method: "PATCH", body: { enabled_events: ["nope"], status: "paused" } }),
      400,
      "validation_error",
    );
    await call(`${BASE}/${endpoint.id}`, { key, method: "PATCH", body: { metadata: many } });
    const over = await expectProblem(
      call(`${BASE}/${endpoint.id}`, { key, method: "PATCH", body: { metadata: { one: "more" } } }),
      400,
      "validation_error",
    );
    expect(over.errors).toEqual([{ path: "metadata", message: "metadata holds at most 50 keys" }]);
    const got = await call<WebhookEndpoint>(`${BASE}/${endpoint.id}`, { key });
    expect(got.body.enabled_events).toEqual(endpoint.enabled_events);
    expect(Object.keys(got.body.metadata)).toHaveLength(50);
  });

  it("replays a create and a rotation sent again with the same Idempotency-Key", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const headers = { "Idempotency-Key": "hook-1" };
    const first = await call<WebhookEndpointWithSecret>(BASE, { key, body: endpointBody(), headers });
    const again = await call<WebhookEndpointWithSecret>(BASE, { key, body: endpointBody(), headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await rowsOf(merchant.id)).toBe(1);
    await expectProblem(
      call(BASE, { key, body: endpointBody({ description: "other" }), headers }),
      422,
      "idempotency_key_reused",
    );

    const rotate = { key, method: "POST", headers: { "Idempotency-Key": "rotate-1" } };
    const r1 = await call<WebhookEndpointWithSecret>(`${BASE}/${first.body.id}/rotate_secret`, rotate);
    const r2 = await call<WebhookEndpointWithSecret>(`${BASE}/${first.body.id}/rotate_secret`, rotate);
    expect(r2.body).toEqual(r1.body);
    const row = await storedRow(first.body.id);
    expect({ secret: row.secret, previous: row.previous_secret }).toEqual({
      secret: r1.body.secret,
      previous: first.body.secret,
    });

    // A refused URL is forgotten with its key, so the fixed request can use it.
    const fix = { "Idempotency-Key": "fix-me" };
    await expectProblem(
      call(BASE, { key, body: endpointBody({ url: "ftp://x.example/" }), headers: fix }),
      400,
      "validation_error",
    );
    expect((await call(BASE, { key, body: endpointBody(), headers: fix })).status).toBe(201);
  });

  it("never logs a secret", async () => {
    const { secret_key: key } = await createMerchant();
    const lines: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" "))),
    );
    try {
      const created = await createEndpoint(key);
      await call(`${BASE}/${created.id}/rotate_secret`, { key, method: "POST" });
      await call(`${BASE}/${created.id}`, { key, method: "PATCH", body: { url: "https://10.0.0.1/" } });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain("whsec_");
  });
});
