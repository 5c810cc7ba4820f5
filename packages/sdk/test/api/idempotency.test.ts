import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { countInEveryShard } from "../../../worker/test/read-model-db";
import { IdempotencyError, type Purchase, ValidationError } from "../../src";
import { ADMIN_TOKEN, admin, client, order, rejection, settled, shopper } from "./helpers";

describe("idempotency through the SDK", () => {
  it("sends a fresh key per call, so two calls are two purchases", async () => {
    const { tranche, customer, card } = await shopper();
    const body = order(customer.id, card.id, { amount: 1000 });
    const a = await tranche.purchases.create(body);
    const b = await tranche.purchases.create(body);
    expect(a.id).not.toBe(b.id);
  });

  it("replays a call made again with the same key, and refuses the key for another request (422)", async () => {
    const { tranche, customer, card } = await shopper();
    const body = order(customer.id, card.id, { amount: 1000 });
    const idempotencyKey = `order-${crypto.randomUUID()}`;
    const first = await tranche.purchases.create(body, { idempotencyKey });
    const again = await tranche.purchases.create(body, { idempotencyKey });
    expect(again).toEqual(first);
    // The read model lags the answers, and lives on the merchant's shard: wait, then count on every shard.
    await settled();
    expect(await countInEveryShard("SELECT COUNT(*) AS n FROM purchases WHERE customer_id = ?", customer.id)).toBe(1);
    await rejection(
      tranche.purchases.create({ ...body, amount: 2000 }, { idempotencyKey }),
      IdempotencyError,
      422,
      "idempotency_key_reused",
    );
    // The same key on another route of the same customer is another request too (a key is its
    // customer's: on another customer it would run, packages/worker/test/idempotency-scope.test.ts).
    await rejection(
      tranche.customers.paymentMethods.create(customer.id, { token: "tok_visa" }, { idempotencyKey }),
      IdempotencyError,
      422,
      "idempotency_key_reused",
    );
  });

  it("replays admin calls and captures by key", async () => {
    const idempotencyKey = crypto.randomUUID();
    const m1 = await admin.merchants.create({ name: "Once" }, { idempotencyKey });
    const m2 = await admin.merchants.create({ name: "Once" }, { idempotencyKey });
    expect(m2.id).toBe(m1.id);

    const tranche = client(m1.secret_key);
    const customer = await tranche.customers.create();
    const card = await tranche.customers.paymentMethods.create(customer.id, { token: "tok_visa" });
    const p: Purchase = await tranche.purchases.create({
      customer: customer.id,
      payment_method: card.id,
      amount: 5000,
      currency: "eur",
      plan: { type: "pay_later" },
      capture: "manual",
    });
    const key = { idempotencyKey: `capture-${p.id}` };
    const captured = await tranche.purchases.capture(p.id, key);
    expect(await tranche.purchases.capture(p.id, key)).toEqual(captured);
  });

  it("gives concurrent duplicates one result: a 409 in flight is retried until the replay", async () => {
    const statuses: number[] = [];
    const watched = client(ADMIN_TOKEN, {
      fetch: async (url, init) => {
        const res = await SELF.fetch(url, init);
        statuses.push(res.status);
        return res;
      },
    });
    const idempotencyKey = crypto.randomUUID();
    const calls = Array.from({ length: 4 }, () => watched.merchants.create({ name: "Racing" }, { idempotencyKey }));
    const merchants = await Promise.all(calls);
    expect(new Set(merchants.map((m) => m.id)).size).toBe(1);
    // A duplicate that arrived while the first ran got a 409 and was retried until it got the replay
    // (here, typically three 409s): every call ends in a 201, and nothing else was answered.
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
  });

  it("refuses a malformed key before sending anything else", async () => {
    const { tranche } = await shopper();
    await rejection(
      tranche.customers.create({}, { idempotencyKey: "has spaces" }),
      ValidationError,
      400,
      "validation_error",
    );
  });
});
