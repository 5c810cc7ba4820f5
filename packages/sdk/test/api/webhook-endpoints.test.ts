import { describe, expect, it } from "vitest";
import { IdempotencyError, NotFoundError, ValidationError } from "../../src";
import { admin, client, rejection } from "./helpers";

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

async function merchant() {
  const m = await admin.merchants.create({ name: "Hooks" });
  return { tranche: client(m.secret_key), merchant: m };
}

describe("webhook endpoints", () => {
  it("creates, retrieves, updates, rotates and deletes; the secret only in the answers that issue it", async () => {
    const { tranche } = await merchant();
    const created = await tranche.webhookEndpoints.create({
      url: "https://shop.example.com/hooks",
      enabled_events: ["installment.paid", "purchase.delinquent"],
      description: "Fulfilment",
    });
    expect(created).toMatchObject({ object: "webhook_endpoint", status: "enabled", livemode: false });
    expect(created.secret).toMatch(SECRET);
    const { secret, ...endpoint } = created;
    expect(await tranche.webhookEndpoints.retrieve(created.id)).toEqual(endpoint);

    const updated = await tranche.webhookEndpoints.update(created.id, { enabled_events: ["*"], status: "disabled" });
    expect(updated).toEqual({ ...endpoint, enabled_events: ["*"], status: "disabled" });

    const rotated = await tranche.webhookEndpoints.rotateSecret(created.id);
    expect(rotated.secret).toMatch(SECRET);
    expect(rotated.secret).not.toBe(secret);
    expect(Date.parse(rotated.previous_secret_expires_at ?? "")).toBeGreaterThan(Date.now() + 23 * 3600_000);

    expect(await tranche.webhookEndpoints.del(created.id)).toEqual({
      id: created.id,
      object: "webhook_endpoint",
      deleted: true,
    });
    await rejection(tranche.webhookEndpoints.retrieve(created.id), NotFoundError, 404, "not_found");
    await rejection(tranche.webhookEndpoints.del(created.id), NotFoundError, 404, "not_found");
  });

  it("lists newest first, a page at a time or with for await", async () => {
    const { tranche } = await merchant();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.unshift(
        (await tranche.webhookEndpoints.create({ url: `https://e${i}.example.com/`, enabled_events: ["*"] })).id,
      );
    }
    const seen: string[] = [];
    for await (const e of tranche.webhookEndpoints.list({ limit: 2 })) seen.push(e.id);
    expect(seen).toEqual(ids);
    const first = await tranche.webhookEndpoints.list({ limit: 2 });
    expect(first.has_more).toBe(true);
    expect((await first.nextPage())?.data.map((e) => e.id)).toEqual(ids.slice(2));
  });

  it("maps a refused URL and bad event types to ValidationError, and another merchant's endpoint to 404", async () => {
    const a = await merchant();
    const b = await merchant();
    const refused = await rejection(
      a.tranche.webhookEndpoints.create({ url: "http://example.com/", enabled_events: ["*"] }),
      ValidationError,
      400,
      "validation_error",
    );
    expect(refused.errors).toEqual([{ path: "url", message: "must use https" }]);
    const bad = await rejection(
      // @ts-expect-error: not an event type, as the API will say too.
      a.tranche.webhookEndpoints.create({ url: "https://example.com/", enabled_events: ["purchase.exploded"] }),
      ValidationError,
      400,
      "validation_error",
    );
    expect(bad.errors.map((e) => e.path)).toEqual(["enabled_events.0"]);
    expect((await a.tranche.webhookEndpoints.list()).data).toEqual([]);

    const endpoint = await a.tranche.webhookEndpoints.create({ url: "https://a.example.com/", enabled_events: ["*"] });
    await rejection(b.tranche.webhookEndpoints.retrieve(endpoint.id), NotFoundError, 404, "not_found");
    await rejection(
      b.tranche.webhookEndpoints.update(endpoint.id, { status: "disabled" }),
      NotFoundError,
      404,
      "not_found",
    );
    await rejection(b.tranche.webhookEndpoints.rotateSecret(endpoint.id), NotFoundError, 404, "not_found");
    await rejection(b.tranche.webhookEndpoints.del(endpoint.id), NotFoundError, 404, "not_found");
    expect((await a.tranche.webhookEndpoints.retrieve(endpoint.id)).status).toBe("enabled");
  });

  it("replays a create sent again with the same idempotency key", async () => {
    const { tranche } = await merchant();
    const params = { url: "https://shop.example.com/hooks", enabled_events: ["refund.succeeded" as const] };
    const first = await tranche.webhookEndpoints.create(params, { idempotencyKey: "hook-once" });
    const again = await tranche.webhookEndpoints.create(params, { idempotencyKey: "hook-once" });
    expect(again).toEqual(first);
    expect((await tranche.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([first.id]);
    await rejection(
      tranche.webhookEndpoints.create({ ...params, description: "other" }, { idempotencyKey: "hook-once" }),
      IdempotencyError,
      422,
      "idempotency_key_reused",
    );
  });
});
