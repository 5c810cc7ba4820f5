import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src";
import { rejection, shopper } from "./helpers";

/** The SDK's methods of issue 20's customer management: update, detach a card, redact. */
describe("managing customers", () => {
  it("updates a customer, merging its metadata", async () => {
    const { tranche, customer } = await shopper();
    await tranche.customers.update(customer.id, { metadata: { a: "1", b: "2" } });
    const updated = await tranche.customers.update(customer.id, { name: "Ada L.", metadata: { a: "" } });
    expect(updated).toMatchObject({ name: "Ada L.", email: "ada@example.com", metadata: { b: "2" } });
  });

  it("detaches a card, and refuses one a purchase owes on", async () => {
    const { tranche, customer, card } = await shopper();
    const spare = await tranche.customers.paymentMethods.create(customer.id, { token: "tok_mastercard" });
    expect(await tranche.customers.paymentMethods.detach(customer.id, spare.id)).toEqual({
      id: spare.id,
      object: "payment_method",
      detached: true,
    });
    await tranche.purchases.create({
      customer: customer.id,
      payment_method: card.id,
      amount: 12000,
      currency: "EUR",
      plan: { type: "pay_in_n" },
    });
    await rejection(
      tranche.customers.paymentMethods.detach(customer.id, card.id),
      ConflictError,
      409,
      "payment_method_in_use",
    );
    expect((await tranche.customers.paymentMethods.list(customer.id)).data.map((m) => m.id)).toEqual([card.id]);
  });

  it("redacts a customer who owes nothing, then refuses to change it", async () => {
    const { tranche, customer } = await shopper();
    const redacted = await tranche.customers.redact(customer.id);
    expect(redacted).toMatchObject({ id: customer.id, redacted: true, name: null, email: null });
    await rejection(tranche.customers.update(customer.id, { name: "Ada" }), ConflictError, 409, "customer_redacted");
  });
});
