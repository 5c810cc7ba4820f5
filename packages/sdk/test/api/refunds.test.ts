import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src";
import { order, rejection, shopper } from "./helpers";

describe("refunds", () => {
  it("are retrieved, listed per purchase and merchant-wide, and show on their purchase", async () => {
    const { tranche, customer, card } = await shopper();
    const p = await tranche.purchases.create(order(customer.id, card.id));
    const first = await tranche.purchases.refunds.create(p.id, { amount: 1000 });
    const second = await tranche.purchases.refunds.create(p.id, { amount: 2000 });

    expect(await tranche.refunds.retrieve(first.id)).toEqual(first);
    const ofPurchase: string[] = [];
    for await (const r of tranche.purchases.refunds.list(p.id, { limit: 1 })) ofPurchase.push(r.id);
    expect(ofPurchase).toEqual([second.id, first.id]);
    const listed = await tranche.refunds.list({ purchase: p.id, status: "succeeded" });
    expect(listed.data).toEqual([second, first]);
    expect((await tranche.refunds.list({ customer: customer.id, limit: 1 })).has_more).toBe(true);

    const purchase = await tranche.purchases.retrieve(p.id);
    expect(purchase).toMatchObject({ amount_refunded: 3000, cash_returned: 0 });
    expect(purchase.installments[0]?.paid_at).toEqual(expect.any(String));
    expect(purchase.installments[0]?.attempts).toMatchObject([{ type: "scheduled", outcome: "succeeded" }]);
    await rejection(tranche.refunds.retrieve("re_missing"), NotFoundError, 404, "not_found");
    await rejection(tranche.purchases.refunds.list("pur_missing"), NotFoundError, 404, "not_found");
  });
});
