import { env, runInDurableObject } from "cloudflare:test";
import type { Customer, Purchase, TestClock } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { type IdempotencyObject, IN_FLIGHT_LEASE_MS } from "../src/objects/idempotency";
import { advanceClock, call, customerWith, expectProblem, purchaseBody, settled, shopper } from "./helpers";
import { countInEveryShard } from "./read-model-db";

/** The customer's purchases in the read model, once the projection has landed. */
const countPurchases = async (customer: string) => {
  await settled();
  return countInEveryShard("SELECT COUNT(*) AS n FROM purchases WHERE customer_id = ?", customer);
};

describe("Idempotency-Key", () => {
  it("replays the first response for the same key and body", async () => {
    const { key, customer, card } = await shopper();
    const body = purchaseBody(customer.id, card.id);
    const headers = { "Idempotency-Key": "order-42" };
    const first = await call<Purchase>("/v1/purchases", { key, body, headers });
    const again = await call<Purchase>("/v1/purchases", { key, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await countPurchases(customer.id)).toBe(1);
  });

  it("answers 422 when the key is reused for a different request", async () => {
    const { key, customer, card } = await shopper();
    const headers = { "Idempotency-Key": "k-1" };
    await call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id), headers });
    await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id, { amount: 9999 }), headers }),
      422,
      "idempotency_key_reused",
    );
    // Another command of the same customer, whose object keeps the key (another customer's: test/idempotency-scope.test.ts).
    await expectProblem(
      call(`/v1/customers/${customer.id}/payment_methods`, { key, body: { token: "tok_visa" }, headers }),
      422,
      "idempotency_key_reused",
    );
    expect(await countPurchases(customer.id)).toBe(1);
  });

  it("scopes keys per merchant", async () => {
    const a = await shopper();
    const b = await shopper();
    const headers = { "Idempotency-Key": "shared-key" };
    const pa = await call<Purchase>("/v1/purchases", {
      key: a.key,
      body: purchaseBody(a.customer.id, a.card.id),
      headers,
    });
    const pb = await call<Purchase>("/v1/purchases", {
      key: b.key,
      body: purchaseBody(b.customer.id, b.card.id),
      headers,
    });
    expect(pa.status).toBe(201);
    expect(pb.status).toBe(201);
    expect(pa.body.id).not.toBe(pb.body.id);
  });

  it("does not store validation failures, so the key can be retried with a fixed body", async () => {
    const { key, customer, card } = await shopper();
    const headers = { "Idempotency-Key": "fix-me" };
    await expectProblem(
      call("/v1/purchases", { key, body: { ...purchaseBody(customer.id, card.id), amount: -1 }, headers }),
      400,
      "validation_error",
    );
    const fixed = await call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id), headers });
    expect(fixed.status).toBe(201);
  });

  it("stores business errors, which replay", async () => {
    const { key, customer, card } = await shopper({ credit_limits: { EUR: 100 } });
    const headers = { "Idempotency-Key": "too-much" };
    const body = purchaseBody(customer.id, card.id);
    const first = await expectProblem(call("/v1/purchases", { key, body, headers }), 400, "credit_limit_exceeded");
    const again = await call("/v1/purchases", { key, body, headers });
    const replay = await expectProblem(Promise.resolve(again), 400, "credit_limit_exceeded");
    expect(replay.detail).toBe(first.detail);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("rejects malformed keys", async () => {
    const { key, customer, card } = await shopper();
    await expectProblem(
      call("/v1/purchases", {
        key,
        body: purchaseBody(customer.id, card.id),
        headers: { "Idempotency-Key": "x".repeat(256) },
      }),
      400,
      "validation_error",
    );
  });

  it("creates exactly one purchase from 100 concurrent requests with one key", async () => {
    const { key, customer, card, merchant } = await shopper();
    const body = purchaseBody(customer.id, card.id);
    const headers = { "Idempotency-Key": "burst" };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => call<Purchase>("/v1/purchases", { key, body, headers })),
    );
    // The customer's object serialises the duplicates: one runs, the other 99 wait and get its result.
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.res.headers.get("Idempotent-Replayed") === "true")).toHaveLength(99);
    expect(await countPurchases(customer.id)).toBe(1);
    const stored = await runInDurableObject(
      env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`)),
      (_instance, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM purchases").one().n,
    );
    expect(stored).toBe(1);
  });

  it("derives the same customer from a retried create", async () => {
    const { key } = await shopper();
    const headers = { "Idempotency-Key": "new-customer" };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call<Customer>("/v1/customers", { key, body: { email: "x@example.com" }, headers }),
      ),
    );
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
  });
});

// How long the customer's object keeps a command's result: test/idempotency-clock.test.ts (issue 18).

describe("advance_clock under an Idempotency-Key", () => {
  it("replays its first answer after the clock has moved on, rather than running again (issue 12)", async () => {
    const { key, customer } = await customerWith();
    const path = `/v1/test_helpers/customers/${customer.id}/advance_clock`;
    const t1 = "2027-06-01T00:00:00.000Z";
    const first = await call<TestClock>(path, { key, body: { to: t1 }, headers: { "Idempotency-Key": "K" } });
    expect(first.status).toBe(200);
    // The clock moved three days on, which never ages a key (issue 18: test/idempotency-clock.test.ts).
    await advanceClock(key, customer.id, "2027-06-04T00:00:00.000Z");
    const late = await call<TestClock>(path, { key, body: { to: t1 }, headers: { "Idempotency-Key": "K" } });
    expect(late.status).toBe(200);
    expect(late.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(late.body).toEqual(first.body);
  });
});

describe("IdempotencyObject", () => {
  const stub = () => env.IDEMPOTENCY.get(env.IDEMPOTENCY.newUniqueId());

  it("answers in_flight to a duplicate while the first runs, then replays", async () => {
    const s = stub();
    const t = Date.now();
    expect(await s.begin("k", "fp", t)).toEqual({ kind: "proceed", firstSeen: t });
    expect(await s.begin("k", "fp", t + 10)).toEqual({ kind: "in_flight" });
    expect(await s.begin("k", "other", t + 10)).toEqual({ kind: "mismatch" });
    await s.complete("k", { status: 201, body: "{}" });
    expect(await s.begin("k", "fp", t + 20)).toEqual({ kind: "replay", response: { status: 201, body: "{}" } });
    // Keys are independent of each other within a shard.
    expect(await s.begin("k2", "other", t + 20)).toEqual({ kind: "proceed", firstSeen: t + 20 });
  });

  it("lets a retry take over a key whose request died, keeping its first-seen time", async () => {
    const s = stub();
    const t = Date.now();
    await s.begin("k", "fp", t);
    expect(await s.begin("k", "fp", t + IN_FLIGHT_LEASE_MS - 1)).toEqual({ kind: "in_flight" });
    expect(await s.begin("k", "fp", t + IN_FLIGHT_LEASE_MS)).toEqual({ kind: "proceed", firstSeen: t });
  });

  it("after a 5xx, lets the same request retry at once but not a different one", async () => {
    const s = stub();
    const t = Date.now();
    await s.begin("k", "fp", t);
    await s.abandon("k");
    expect(await s.begin("k", "other", t + 1)).toEqual({ kind: "mismatch" });
    expect(await s.begin("k", "fp", t + 1)).toEqual({ kind: "proceed", firstSeen: t });
  });

  it("pins a claimed key to its first request", async () => {
    const s = stub();
    const t = Date.now();
    expect(await s.claim("k", "fp", t)).toEqual({ kind: "proceed", firstSeen: t, fresh: true });
    expect(await s.claim("k", "fp", t + 5)).toEqual({ kind: "proceed", firstSeen: t, fresh: false });
    expect(await s.claim("k", "other", t + 5)).toEqual({ kind: "mismatch" });
    expect(await s.begin("k", "fp", t + 5)).toEqual({ kind: "mismatch" });
    await s.release("k");
    expect(await s.claim("k", "other", t + 6)).toEqual({ kind: "proceed", firstSeen: t + 6, fresh: true });
  });

  it("forgets keys after 24 hours", async () => {
    const s = stub();
    await s.claim("old", "fp");
    await runInDurableObject(s, async (instance: IdempotencyObject, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
      state.storage.sql.exec("UPDATE keys SET expires_at = ?", Date.now() - 1);
      // An expired key counts as absent even before the sweep runs...
      expect(await instance.claim("old", "another")).toMatchObject({ kind: "proceed", fresh: true });
      state.storage.sql.exec("UPDATE keys SET expires_at = ?", Date.now() - 1);
      // ...and the sweep deletes it.
      await instance.alarm();
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM keys").one().n).toBe(0);
    });
  });
});
