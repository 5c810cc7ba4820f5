import { env, runInDurableObject } from "cloudflare:test";
import type { Purchase, TestClock } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sweep } from "../src/sweep";
import { call, createPurchase, purchaseBody, settled, shopper } from "./helpers";
import { readModelDb } from "./read-model-db";

describe("the D1 read model", () => {
  it("holds every ledger line and event of the customer objects, once", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    await call<TestClock>(`/v1/test_helpers/customers/${customer.id}/advance_clock`, {
      key,
      body: { to: new Date(Date.parse(p.captured_at ?? "") + 60 * 86_400_000).toISOString() },
    });
    await call(`/v1/purchases/${p.id}/refunds`, { key, body: { amount: 1000 } });
    // Copying again (the sweep re-projects, alarms repeat) must not duplicate anything.
    await sweep(env);
    await settled();

    const db = await readModelDb(merchant.id);
    const lines = await db
      .prepare("SELECT account, amount, event FROM ledger_entries WHERE merchant_id = ? AND customer_id = ?")
      .bind(merchant.id, customer.id)
      .all<{ account: string; amount: number; event: string }>();
    expect(lines.results.reduce((s, l) => s + l.amount, 0)).toBe(0);
    const inObject = await runInDurableObject(
      env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`)),
      (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM ledger").one().n,
    );
    expect(lines.results).toHaveLength(inObject);
    expect(new Set(lines.results.map((l) => l.event))).toEqual(
      new Set(["capture", "installment_paid", "refund", "refund_payout"]),
    );
    const clearing = lines.results.filter((l) => l.account === "processor_clearing").reduce((s, l) => s + l.amount, 0);
    expect(clearing).toBe(9000);

    const events = await db
      .prepare("SELECT type FROM events WHERE merchant_id = ? ORDER BY created_at, id")
      .bind(merchant.id)
      .all<{ type: string }>();
    const types = events.results.map((e) => e.type);
    expect(types.filter((t) => t === "installment.paid")).toHaveLength(4);
    expect(types.filter((t) => t === "installment.reminder")).toHaveLength(3);
    expect(types).toContain("purchase.completed");

    const purchase = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    const row = await db.prepare("SELECT status FROM purchases WHERE id = ?").bind(p.id).first<{ status: string }>();
    expect(row?.status).toBe(purchase.status);
  });
});
