import type { Event, List } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sequencedId } from "../../src/lib/ids";
import { attachCard, call, createCustomer, createPurchase, purchaseBody } from "../helpers";
import { readModelDb } from "../read-model-db";
import { alarmAt, endpointWith, type Receiver, runNextAlarm, type Stub } from "./webhook-delivery-kit";

/** Events the walk reads from D1 per alarm run (BACKFILL_PAGE in the object). */
const PAGE = 200;

const recover = (key: string, id: string, since: string) =>
  call(`/v1/webhook_endpoints/${id}/recover`, { key, body: { since } });

/** Runs the endpoint's alarms until none is set: the walk's pages, then the deliveries (all answered 200). */
async function drain(stub: Stub, receiver: Receiver) {
  for (let i = 0; i < 50 && (await alarmAt(stub)) !== null; i++) await runNextAlarm(stub, receiver);
  expect(await alarmAt(stub)).toBeNull();
}

describe("recovering missed events", () => {
  it("delivers the events of the time an endpoint was disabled, once, under their event ids", {
    timeout: 20_000,
  }, async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([200]);
    const since = new Date(Date.now() - 60_000).toISOString();
    await call(`/v1/webhook_endpoints/${endpoint.id}`, { key, method: "PATCH", body: { status: "disabled" } });
    const customer = await createCustomer(key);
    const card = await attachCard(key, customer.id);
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));
    await call(`/v1/webhook_endpoints/${endpoint.id}`, { key, method: "PATCH", body: { status: "enabled" } });
    const paid = await call<List<Event>>(`/v1/events?type=installment.paid&purchase=${purchase.id}`, { key });
    expect(paid.body.data).toHaveLength(1);

    expect((await recover(key, endpoint.id, since)).body).toEqual({ object: "webhook_recovery", redelivered: 0 });
    await drain(stub, receiver);
    // It subscribes to installment.paid and installment.failed: purchase.created is not for it.
    expect(receiver.received.map((r) => r.id)).toEqual([paid.body.data[0]?.id]);
    expect(JSON.parse(receiver.received[0]?.body ?? "{}")).toMatchObject({
      type: "installment.paid",
      data: { object: { id: purchase.id } },
    });

    // Asked again, nothing already delivered goes twice.
    await recover(key, endpoint.id, since);
    await drain(stub, receiver);
    expect(receiver.received).toHaveLength(1);
  });

  it("walks the merchant's events a page at a time, from `since`, taking only the subscribed types of its mode", async () => {
    const { key, merchant, endpoint, stub, receiver } = await endpointWith([200]);
    const base = Date.parse("2030-01-01T00:00:00.000Z");
    const rows = Array.from({ length: 450 }, (_, n) => ({
      n,
      id: sequencedId("evt", base + n * 1000, 0),
      type: n % 3 === 0 ? "installment.paid" : "purchase.created",
      livemode: n % 10 === 9,
    }));
    const db = await readModelDb(merchant.id);
    const insert = db.prepare(
      `INSERT INTO events (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at, event_id)
       VALUES (?, ?, ?, 'cus_x', ?, NULL, ?, ?, ?)`,
    );
    await db.batch(
      rows.map((r) =>
        insert.bind(
          `seed:${r.n}`,
          merchant.id,
          r.livemode ? 1 : 0,
          r.type,
          "{}",
          new Date(base + r.n * 1000).toISOString(),
          r.id,
        ),
      ),
    );

    await recover(key, endpoint.id, new Date(base + 100 * 1000).toISOString());
    await drain(stub, receiver);
    const after = rows.filter((r) => r.n >= 100);
    // More events lie after `since` than one run reads: the walk takes more than one page.
    expect(after.length).toBeGreaterThan(PAGE);
    const wanted = after.filter((r) => r.type === "installment.paid" && !r.livemode).map((r) => r.id);
    expect(receiver.received.map((r) => r.id).sort()).toEqual(wanted);
  });
});
