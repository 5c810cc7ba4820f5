import {
  abortAllDurableObjects,
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import type { Purchase, TestClock } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import type { CustomerObject } from "../src/objects/customer";
import { sweep } from "../src/sweep";
import { call, createPurchase, purchaseBody, settled, shopper } from "./helpers";
import { readModelDb } from "./read-model-db";

describe("the scheduled sweep", () => {
  it("re-projects what D1 lost and re-arms alarms that went missing", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
    const db = await readModelDb(merchant.id);
    await db.prepare("DELETE FROM purchases WHERE id = ?").bind(p.id).run();
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    const row = await db.prepare("SELECT data FROM purchases WHERE id = ?").bind(p.id).first<{ data: string }>();
    expect(JSON.parse(row?.data ?? "{}")).toEqual((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body);
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    // The reminder of installment 2, two days ahead (the test config's COLLECTIONS_POLICY).
    expect(alarm).toBe(Date.parse(p.installments[1]?.due_at ?? "") - 2 * 86_400_000);
  });

  it("is idempotent: a second run finds nothing to repair", async () => {
    await shopper();
    await sweep(env);
    await settled();
    const again = await sweep(env);
    expect(again.customers).toBeGreaterThan(0);
    expect(again).toMatchObject({ reprojected: 0, failed: 0 });
  });

  it("sends again the rows of a message lost after the queue took it, and D1 counts each row once", async () => {
    const { key, merchant, customer, card } = await shopper();
    const stub = env.CUSTOMERS.get(
      env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`),
    ) as DurableObjectStub<CustomerObject>;
    // The queue takes the purchase's message and loses it: the object's marks have moved past its rows.
    await runInDurableObject(stub, (instance) => {
      const real = instance.projectionQueue;
      let lost = false;
      instance.projectionQueue = {
        sendBatch: async (messages) => {
          if (lost) return real.sendBatch(messages);
          lost = true;
        },
      };
    });
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    const lag = await stub.readModelLag();
    expect(lag.missing).toBeGreaterThan(0);
    expect(lag.unsent).toBe(false);

    const report = await sweep(env);
    expect(report.reprojected).toBeGreaterThanOrEqual(lag.missing);
    await settled();
    expect(await stub.readModelLag()).toEqual({ missing: 0, unsent: false });
    const lines = await runInDurableObject(
      stub,
      (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM ledger").one().n,
    );
    const rolledUp = await (await readModelDb(merchant.id))
      .prepare("SELECT SUM(lines) AS n FROM ledger_rollups WHERE merchant_id = ? AND grain = 'm'")
      .bind(merchant.id)
      .first<{ n: number }>();
    expect(rolledUp?.n).toBe(lines);
    expect((await call<{ data: Purchase[] }>("/v1/purchases", { key })).body.data.map((x) => x.id)).toEqual([p.id]);
  });
});

describe("the alarm", () => {
  it("is set to the next due action once D1 has the purchase, not to a projection retry", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    await settled();
    const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(p.installments[1]?.due_at ?? "") - 2 * 86_400_000);
  });
});

describe("eviction", () => {
  it("loses nothing and charges nothing twice when objects are torn down mid-way", async () => {
    const { key, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    await abortAllDurableObjects();
    const to = new Date(Date.parse(p.captured_at ?? "") + 20 * 86_400_000).toISOString();
    const clock = await call<TestClock>(`/v1/test_helpers/customers/${customer.id}/advance_clock`, {
      key,
      body: { to },
    });
    expect(clock.body.ran.filter((r) => r.type === "charge").map((r) => r.outcome)).toEqual(["paid"]);
    await abortAllDurableObjects();
    const again = await call<TestClock>(`/v1/test_helpers/customers/${customer.id}/advance_clock`, {
      key,
      body: { to },
    });
    expect(again.body.ran).toEqual([]);
    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.installments.map((i) => i.status)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
  });
});
