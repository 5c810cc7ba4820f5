import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src";
import { order, rejection, shopper } from "./helpers";

describe("events", () => {
  it("lists every page newest first with for await, filters by type, and retrieves one", async () => {
    const { tranche, customer, card } = await shopper();
    const p = await tranche.purchases.create(order(customer.id, card.id));
    const types: string[] = [];
    for await (const e of tranche.events.list({ purchase: p.id, limit: 1 })) types.push(e.type);
    expect(types).toEqual(["installment.paid", "purchase.created"]);

    const paid = await tranche.events.list({ type: "installment.paid" });
    expect(paid.data.map((e) => [e.purchase, e.data.installment])).toEqual([[p.id, 1]]);
    const [event] = paid.data;
    if (!event) throw new Error("no event");
    expect(await tranche.events.retrieve(event.id)).toEqual(event);
    await rejection(tranche.events.retrieve("evt_missing"), NotFoundError, 404, "not_found");
  });
});
