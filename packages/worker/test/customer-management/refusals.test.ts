import type { Customer } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  attachCard,
  call,
  createCustomer,
  createMerchant,
  createPurchase,
  customerWith,
  expectProblem,
  purchaseBody,
  settled,
} from "../helpers";
import { customerStub, objectText } from "./kit";

/**
 * Every refusal of issue 20's customer management writes nothing: the customer's object is the same,
 * table by table, before and after.
 */
async function unchanged(stub: DurableObjectStub, refused: () => Promise<unknown>) {
  await settled();
  const before = await objectText(stub);
  await refused();
  expect(await objectText(stub)).toBe(before);
}

describe("refusals of customer management write nothing", () => {
  it("refuses to redact while money is owed", async () => {
    const { key, customer, card, stub } = await customerWith();
    await createPurchase(key, purchaseBody(customer.id, card.id));
    await unchanged(stub, () =>
      expectProblem(call(`/v1/customers/${customer.id}/redact`, { key, body: {} }), 409, "balance_outstanding"),
    );
    expect((await call<Customer>(`/v1/customers/${customer.id}`, { key })).body).toMatchObject({
      name: "Ada",
      redacted: false,
    });
  });

  it("refuses to redact while a purchase awaits capture", async () => {
    const { key, customer, card, stub } = await customerWith();
    await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    await unchanged(stub, () =>
      expectProblem(call(`/v1/customers/${customer.id}/redact`, { key, body: {} }), 409, "balance_outstanding"),
    );
  });

  it("refuses every change to a redacted customer", async () => {
    const { key, customer, card, stub } = await customerWith();
    expect((await call(`/v1/customers/${customer.id}/redact`, { key, body: {} })).status).toBe(200);
    const path = `/v1/customers/${customer.id}`;
    await unchanged(stub, async () => {
      await expectProblem(call(path, { key, body: { name: "Back" } }), 409, "customer_redacted");
      await expectProblem(
        call(`${path}/payment_methods`, { key, body: { token: "tok_visa" } }),
        409,
        "customer_redacted",
      );
      await expectProblem(
        call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) }),
        409,
        "customer_redacted",
      );
    });
  });

  it("refuses to detach a card a purchase owes on when no other card is the default", async () => {
    const { key, customer, card, stub } = await customerWith();
    await createPurchase(key, purchaseBody(customer.id, card.id));
    await attachCard(key, customer.id, "tok_mastercard");
    const detach = () => call(`/v1/customers/${customer.id}/payment_methods/${card.id}`, { key, method: "DELETE" });
    await unchanged(stub, () => expectProblem(detach(), 409, "payment_method_in_use"));
    // Its own card as the default is no other card.
    await call(`/v1/customers/${customer.id}`, { key, body: { default_payment_method: card.id } });
    await unchanged(stub, () => expectProblem(detach(), 409, "payment_method_in_use"));
  });

  it("refuses to detach the card a purchase awaiting capture holds money on, whatever the default", async () => {
    const { key, customer, card, stub } = await customerWith();
    await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const other = await attachCard(key, customer.id, "tok_mastercard");
    await call(`/v1/customers/${customer.id}`, { key, body: { default_payment_method: other.id } });
    await unchanged(stub, () =>
      expectProblem(
        call(`/v1/customers/${customer.id}/payment_methods/${card.id}`, { key, method: "DELETE" }),
        409,
        "payment_method_in_use",
      ),
    );
  });

  it("refuses an update naming a card the customer does not have, or a detached one", async () => {
    const { key, customer, stub } = await customerWith();
    const spare = await attachCard(key, customer.id, "tok_mastercard");
    expect(
      (await call(`/v1/customers/${customer.id}/payment_methods/${spare.id}`, { key, method: "DELETE" })).status,
    ).toBe(200);
    await unchanged(stub, async () => {
      for (const pm of [spare.id, "pm_01JDQ8Z6W2N8X4C2V7B5K9M3PC"]) {
        const update = call(`/v1/customers/${customer.id}`, { key, body: { name: "X", default_payment_method: pm } });
        await expectProblem(update, 400, "validation_error");
      }
    });
  });

  it("answers 404 for another merchant's customer, and leaves it alone", async () => {
    const { merchant, customer, card } = await customerWith();
    const intruder = (await createMerchant("Other")).secret_key;
    // The intruder has a customer of its own, so its key reaches real objects.
    await createCustomer(intruder);
    const stub = customerStub(merchant.id, customer.id);
    const path = `/v1/customers/${customer.id}`;
    await unchanged(stub, async () => {
      await expectProblem(call(path, { key: intruder, body: { name: "Mallory" } }), 404, "not_found");
      await expectProblem(call(`${path}/redact`, { key: intruder, body: {} }), 404, "not_found");
      await expectProblem(
        call(`${path}/payment_methods/${card.id}`, { key: intruder, method: "DELETE" }),
        404,
        "not_found",
      );
    });
  });
});
