import { env, runInDurableObject } from "cloudflare:test";
import type { Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../src/objects/customer";
import { MIGRATIONS, migrate } from "../src/objects/customer/storage/schema";
import { advanceClock, books, call, customerWith, DAY, plusDays, purchaseBody, settled } from "./helpers";

/**
 * One clock for one key (issue 18): an Idempotency-Key lives 24 hours of real time in the customer's
 * object as in the middleware's shard. A test clock moves the customer's time, never the key's.
 */

type Stub = DurableObjectStub<CustomerObject>;

const K = { "Idempotency-Key": "K" };
const inFull = { plan: { type: "pay_in_full" } };

/** The purchases the customer's object holds. */
const purchasesIn = (stub: Stub) =>
  runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("SELECT id FROM purchases").toArray().length);

/** Moves the object's real time `ms` ahead of the runtime's, as the passing of that much time would. */
const realTimeAhead = (stub: Stub, ms: number) =>
  runInDurableObject(stub, (instance: CustomerObject) => {
    instance.realTime = { now: () => new Date(Date.now() + ms) };
  });

describe("a retried Idempotency-Key across a test-clock advance", () => {
  it("replays a purchase's creation two days of the customer's time later, charging once", async () => {
    const { key, customer, card, stub } = await customerWith();
    const body = purchaseBody(customer.id, card.id, inFull);
    const first = await call<Purchase>("/v1/purchases", { key, body, headers: K });
    expect(first.status).toBe(201);

    await advanceClock(key, customer.id, new Date(Date.now() + 2 * DAY).toISOString());
    const again = await call<Purchase>("/v1/purchases", { key, body, headers: K });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await purchasesIn(stub as Stub)).toBe(1);
    expect((await books(stub)).successes).toHaveLength(1);
  });

  it("replays a refund two days of the customer's time later, refunding once", async () => {
    const { key, customer, card, stub } = await customerWith();
    const start = "2027-03-01T12:00:00.000Z";
    await advanceClock(key, customer.id, start);
    const purchase = await call<Purchase>("/v1/purchases", { key, body: purchaseBody(customer.id, card.id, inFull) });
    expect(purchase.status).toBe(201);
    const path = `/v1/purchases/${purchase.body.id}/refunds`;
    const first = await call<Refund>(path, { key, body: { amount: 3000 }, headers: K });
    expect(first.status).toBe(201);
    expect(first.body.cash_returned).toBe(3000);

    await advanceClock(key, customer.id, plusDays(start, 2));
    const again = await call<Refund>(path, { key, body: { amount: 3000 }, headers: K });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await books(stub)).refunds.map((r) => r.amount)).toEqual([3000]);
  });
});

describe("command records in the customer's object", () => {
  it("replay for 24 hours of real time, then the key starts a new command; pruning arms no alarm", async () => {
    const { key, customer, card, stub: s } = await customerWith();
    const stub = s as Stub;
    const start = "2027-03-01T12:00:00.000Z";
    await advanceClock(key, customer.id, start);
    const body = purchaseBody(customer.id, card.id, inFull);
    const headers = { "Idempotency-Key": "order-ttl" };
    const first = await call<Purchase>("/v1/purchases", { key, body, headers });
    expect(first.status).toBe(201);

    // A test clock far ahead does not expire the key; 23.76 hours of real time do not either.
    await advanceClock(key, customer.id, plusDays(start, 30));
    await realTimeAhead(stub, 0.99 * DAY);
    const replay = await call<Purchase>("/v1/purchases", { key, body, headers });
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.id).toBe(first.body.id);

    await realTimeAhead(stub, 1.01 * DAY);
    const fresh = await call<Purchase>("/v1/purchases", { key, body, headers });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(fresh.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await books(stub)).successes).toHaveLength(2);

    // The expired record was pruned by that command's own transaction, and the new one is stamped
    // with real time; nothing is left to do once D1 has the purchase, so no alarm.
    await settled();
    const left = await runInDurableObject(stub, async (_instance, state) => ({
      keys: state.storage.sql
        .exec<{ created_at: string }>("SELECT created_at FROM commands WHERE idempotency_key = 'order-ttl'")
        .toArray()
        .map((r) => Date.parse(r.created_at) - Date.now()),
      alarm: await state.storage.getAlarm(),
    }));
    expect(left.keys).toHaveLength(1);
    expect(left.keys[0]).toBeGreaterThan(DAY);
    expect(left.keys[0]).toBeLessThan(1.02 * DAY);
    expect(left.alarm).toBeNull();

    // With no command for a day, the next alarm that runs for other work prunes the record too.
    await realTimeAhead(stub, 2.02 * DAY);
    const afterAlarm = await runInDurableObject(stub, async (instance: CustomerObject, state) => {
      await instance.alarm();
      return state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM commands").one().n;
    });
    expect(afterAlarm).toBe(0);
  });
});

// An object deployed before issue 18 holds records stamped with its test clock; they must survive.
describe("the customer object's command records, migrated to real time", () => {
  /** The records' ages in real time after the migration, from storage as the one before left it. */
  const migrated = (frozenAt?: string) =>
    runInDurableObject(env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId()), (_instance, state) => {
      const sql = state.storage.sql;
      // Storage as it was just before the migration that restamps the records (later ones follow it).
      const from = MIGRATIONS.findIndex((ddl) => ddl.startsWith("UPDATE commands SET created_at"));
      for (const ddl of MIGRATIONS.slice(0, from)) sql.exec(ddl);
      sql.exec("CREATE TABLE schema_version (v INTEGER NOT NULL)");
      sql.exec("INSERT INTO schema_version (v) VALUES (?)", from);
      if (frozenAt) sql.exec("INSERT INTO test_clock (frozen_at) VALUES (?)", frozenAt);
      const real = new Date(Date.now() - 3_600_000).toISOString();
      sql.exec(
        `INSERT INTO commands (idempotency_key, fingerprint, result, resume, created_at)
         VALUES ('ahead', 'fp', '{"ok":true}', NULL, ?), ('behind', 'fp', NULL, '{}', ?)`,
        frozenAt ?? real,
        frozenAt ? plusDays(frozenAt, -3) : real,
      );
      expect(migrate(state.storage, from)).toBe(MIGRATIONS.length);
      return sql
        .exec<{ idempotency_key: string; result: string | null; created_at: string }>(
          "SELECT idempotency_key, result, created_at FROM commands ORDER BY idempotency_key",
        )
        .toArray()
        .map((r) => ({ key: r.idempotency_key, result: r.result, age: Date.now() - Date.parse(r.created_at) }));
    });

  it("stamps a test-clock customer's records with the real time, so each lives 24 hours more of it", async () => {
    const rows = await migrated(new Date(Date.now() + 30 * DAY).toISOString());
    expect(rows.map(({ key, result }) => ({ key, result }))).toEqual([
      { key: "ahead", result: '{"ok":true}' },
      { key: "behind", result: null },
    ]);
    for (const { age } of rows) expect(Math.abs(age)).toBeLessThan(60_000);
  });

  it("leaves the records of a customer without a test clock, stamped with real time already", async () => {
    const rows = await migrated();
    expect(rows.map((r) => r.key)).toEqual(["ahead", "behind"]);
    for (const { age } of rows) expect(Math.round(age / 60_000)).toBe(60);
  });
});
