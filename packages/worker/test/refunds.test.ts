import { env, runInDurableObject } from "cloudflare:test";
import type { List, Purchase, Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../src/objects/customer";
import { call, createPurchase, customerWith, expectProblem, purchaseBody, shopper } from "./helpers";
import { readModelDb } from "./read-model-db";

/** Refunds as a resource (issue 20): retrieved and listed from the customer's object, and listed merchant-wide from D1. */

async function refund(key: string, purchase: string, body: Record<string, unknown> = {}): Promise<Refund> {
  const res = await call<Refund>(`/v1/purchases/${purchase}/refunds`, { key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const ids = (list: { data: { id: string }[] }) => list.data.map((r) => r.id);

/** A merchant with two purchases of one customer, refunded three times, newest last. */
async function refunded() {
  const { key, customer, card } = await shopper();
  const first = await createPurchase(key, purchaseBody(customer.id, card.id));
  const second = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 6000 }));
  const a = await refund(key, first.id, { amount: 1000, reason: "returned_goods" });
  const b = await refund(key, second.id, { amount: 500 });
  const c = await refund(key, first.id, { amount: 2000 });
  return { key, customer, first, second, refunds: [a, b, c] };
}

describe("refunds", () => {
  it("are retrieved by id, current, with their owner, currency and mode", async () => {
    const { key, customer, first, refunds } = await refunded();
    const [made] = refunds;
    const { status, body } = await call<Refund>(`/v1/refunds/${made?.id}`, { key });
    expect(status).toBe(200);
    expect(body).toEqual(made);
    expect(body).toMatchObject({
      object: "refund",
      purchase: first.id,
      customer: customer.id,
      amount: 1000,
      currency: "EUR",
      // It only lowered what was still owed: no cash to return, so nothing pending.
      cash_returned: 0,
      status: "succeeded",
      reason: "returned_goods",
      livemode: false,
    });
  });

  it("are listed per purchase from the customer's object, newest first, a page at a time", async () => {
    const { key, first, refunds } = await refunded();
    const [a, , c] = refunds;
    const page = await call<List<Refund>>(`/v1/purchases/${first.id}/refunds?limit=1`, { key });
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ object: "list", data: [c], has_more: true });
    const next = await call<List<Refund>>(`/v1/purchases/${first.id}/refunds?limit=1&starting_after=${c?.id}`, {
      key,
    });
    expect(next.body).toEqual({ object: "list", data: [a], has_more: false });
    const all = await call<List<Refund>>(`/v1/purchases/${first.id}/refunds`, { key });
    expect(ids(all.body)).toEqual([c?.id, a?.id]);
  });

  it("are listed merchant-wide from the read model, filtered and paged, as retrieved", async () => {
    const { key, customer, first, second, refunds } = await refunded();
    const [a, b, c] = refunds;
    const all = await call<List<Refund>>("/v1/refunds", { key });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ object: "list", data: [c, b, a], has_more: false });
    const page1 = await call<List<Refund>>("/v1/refunds?limit=2", { key });
    expect(page1.body).toMatchObject({ data: [c, b], has_more: true });
    const page2 = await call<List<Refund>>(`/v1/refunds?limit=2&starting_after=${b?.id}`, { key });
    expect(page2.body).toEqual({ object: "list", data: [a], has_more: false });
    const list = async (query: string) => ids((await call<List<Refund>>(`/v1/refunds?${query}`, { key })).body);
    expect(await list(`purchase=${first.id}`)).toEqual([c?.id, a?.id]);
    expect(await list(`purchase=${second.id}`)).toEqual([b?.id]);
    expect(await list(`customer=${customer.id}&status=succeeded`)).toEqual([c?.id, b?.id, a?.id]);
    expect(await list("status=pending")).toEqual([]);
    expect(await list(`created[gte]=${a?.created_at}&created[lt]=2999-01-01T00:00:00Z`)).toHaveLength(3);
    expect(await list("created[gte]=2999-01-01T00:00:00Z")).toEqual([]);
  });

  it("are another merchant's 404, and refuse query parameters they do not know", async () => {
    const { key, first, refunds } = await refunded();
    const other = await shopper();
    const [made] = refunds;
    await expectProblem(call(`/v1/refunds/${made?.id}`, { key: other.key }), 404, "not_found");
    await expectProblem(call(`/v1/purchases/${first.id}/refunds`, { key: other.key }), 404, "not_found");
    expect((await call<List<Refund>>("/v1/refunds", { key: other.key })).body.data).toEqual([]);
    expect((await call<List<Refund>>(`/v1/refunds?purchase=${first.id}`, { key: other.key })).body.data).toEqual([]);
    // Ids that cannot exist, and a purchase id where a refund's is expected.
    await expectProblem(call("/v1/refunds/re_nope", { key }), 404, "not_found");
    await expectProblem(call(`/v1/refunds/${first.id}`, { key }), 404, "not_found");
    await expectProblem(call(`/v1/refunds?purchse=${first.id}`, { key }), 400, "validation_error");
    await expectProblem(call(`/v1/purchases/${first.id}/refunds?status=pending`, { key }), 400, "validation_error");
    await expectProblem(call("/v1/refunds?status=refunded", { key }), 400, "validation_error");
  });
});

describe("a purchase's refunds", () => {
  it("add up in amount_refunded, and what went back to the card in cash_returned", async () => {
    const { key, customer, card } = await shopper();
    // Four parts of 3000; the first is paid at checkout.
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));
    expect(purchase).toMatchObject({ amount_refunded: 0, cash_returned: 0 });
    const retrieve = async () => (await call<Purchase>(`/v1/purchases/${purchase.id}`, { key })).body;

    // Partial: taken off what is still owed, the last parts first; nothing goes back to the card.
    const partial = await refund(key, purchase.id, { amount: 4000 });
    expect(partial).toMatchObject({ amount: 4000, cash_returned: 0, status: "succeeded" });
    expect(await retrieve()).toMatchObject({ amount_refunded: 4000, cash_returned: 0, amount_outstanding: 5000 });

    // The rest: 5000 still owed is dropped, and the 3000 paid goes back to the card.
    const rest = await refund(key, purchase.id);
    expect(rest).toMatchObject({ amount: 8000, cash_returned: 3000, status: "succeeded" });
    const after = await retrieve();
    expect(after).toMatchObject({ status: "refunded", amount_refunded: 12000, cash_returned: 3000 });
    expect(after.amount_outstanding).toBe(0);

    // The read model shows the purchase and its refunds as the object does.
    const listed = await call<List<Purchase>>(`/v1/purchases?customer=${customer.id}`, { key });
    expect(listed.body.data).toEqual([after]);
    const refunds = await call<List<Refund>>(`/v1/refunds?purchase=${purchase.id}`, { key });
    expect(refunds.body.data).toEqual([rest, partial]);
  });
});

describe("the sweep", () => {
  it("gives D1 a new version of a purchase it holds in an older shape or without its refunds", async () => {
    const { key, merchant, customer, card, stub } = await customerWith();
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));
    const made = await refund(key, purchase.id, { amount: 700 });
    expect((await call<List<Refund>>("/v1/refunds", { key })).body.data).toEqual([made]);
    const current = (await call<List<Purchase>>("/v1/purchases", { key })).body.data;
    expect(current[0]).toMatchObject({ amount_refunded: 700 });
    // As a refund made before refunds were projected: its purchase in D1 at its version, in the
    // shape it had then, and the refund not at all.
    const db = await readModelDb(merchant.id);
    await db.batch([
      db.prepare("DELETE FROM refunds WHERE merchant_id = ?").bind(merchant.id),
      db
        .prepare("UPDATE purchases SET data = json_remove(data, '$.amount_refunded', '$.cash_returned') WHERE id = ?")
        .bind(purchase.id),
    ]);
    expect((await call<List<Refund>>("/v1/refunds", { key })).body.data).toEqual([]);
    const repaired = await runInDurableObject(stub, (instance: CustomerObject) => instance.repair());
    expect(repaired.reprojected).toBe(1);
    // Naming the object again makes the next list wait for what the repair handed the queue (settle.ts).
    env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`);
    expect((await call<List<Refund>>("/v1/refunds", { key })).body.data).toEqual([made]);
    const repairedPurchase = (await call<List<Purchase>>("/v1/purchases", { key })).body.data;
    expect(repairedPurchase).toEqual([{ ...current[0], amount_refunded: 700, cash_returned: 0 }]);
  });
});
