import { env } from "cloudflare:test";
import type { Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sequencedId } from "../../src/lib/ids";
import { readModel, shardOf, shards } from "../../src/shards";
import {
  ADMIN_TOKEN,
  advanceClock,
  attachCard,
  call,
  createCustomer,
  createMerchant,
  createPurchase,
  plusDays,
  purchaseBody,
  settled,
} from "../helpers";
import { readModelOf } from "../projection/reference";
import { rowsIn } from "./kit";

/** What the merchant sees of its read model through the API: lists, events and a report. */
async function views(key: string) {
  const paths = [
    "/v1/purchases?limit=100",
    "/v1/refunds?limit=100",
    "/v1/customers?limit=100",
    "/v1/events?limit=100",
    "/v1/reports/aging?as_of=2027-06-01T00:00:00.000Z",
  ];
  const answers = await Promise.all(paths.map((path) => call(path, { key })));
  expect(answers.map((a) => a.status)).toEqual(paths.map(() => 200));
  return answers.map((a) => a.body);
}

const move = (merchantId: string, shard: unknown) =>
  call<Record<string, unknown>>(`/v1/admin/merchants/${merchantId}/move_shard`, { key: ADMIN_TOKEN, body: { shard } });

describe("moving a merchant between read-model shards", () => {
  it("re-projects everything into the new shard: reads equal before and after, the old shard keeps nothing", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const start = "2027-03-01T10:00:00.000Z";
    for (const amount of [12000, 8000]) {
      const customer = await createCustomer(key);
      const card = await attachCard(key, customer.id);
      await advanceClock(key, customer.id, start);
      const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount }));
      await advanceClock(key, customer.id, plusDays(start, 35));
      const refund = await call<Refund>(`/v1/purchases/${p.id}/refunds`, { key, body: { amount: 500 } });
      expect(refund.status).toBe(201);
    }
    // An event about a webhook endpoint, which no customer's object holds: the move copies it.
    const from = await shardOf(env, merchant.id);
    await (await readModel(env, merchant.id))
      .prepare(
        `INSERT INTO events (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at, event_id)
         VALUES (?, ?, 0, '', 'webhook_endpoint.disabled', NULL, '{}', ?, ?)`,
      )
      .bind("we_moved:disabled:1", merchant.id, start, sequencedId("evt", Date.parse(start), 0))
      .run();
    await settled();
    const before = { stored: await readModelOf(merchant.id), seen: await views(key) };
    const to = 1 - from;

    const moved = await move(merchant.id, to);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ merchant: merchant.id, from, to, customers: 2, failed: 0 });
    expect(moved.body.deleted).toBeGreaterThan(0);
    await settled();
    // This isolate's cache may still hold the old place for up to a second: read the directory.
    expect(await shardOf(env, merchant.id, { fresh: true })).toBe(to);
    expect(await readModelOf(merchant.id)).toEqual(before.stored);
    expect(await views(key)).toEqual(before.seen);
    expect(await rowsIn(shards(env)[from] as D1Database, merchant.id)).toEqual({});

    // Again: nothing is missing, nothing left to delete, the same read model.
    const again = await move(merchant.id, to);
    expect(again.body).toMatchObject({ from: to, to, customers: 0, failed: 0, deleted: 0 });
    await settled();
    expect(await readModelOf(merchant.id)).toEqual(before.stored);
  });

  it("refuses a shard that does not exist and a merchant that does not", async () => {
    const merchant = await createMerchant();
    for (const shard of [shards(env).length, -1, "1", null]) {
      const res = await move(merchant.id, shard);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "validation_error" });
    }
    expect((await move("mer_unknown", 0)).status).toBe(404);
    expect(
      (await call(`/v1/admin/merchants/${merchant.id}/move_shard`, { key: merchant.secret_key, body: { shard: 0 } }))
        .status,
    ).toBe(401);
  });
});
