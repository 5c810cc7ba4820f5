import { describe, expect, it } from "vitest";
import { AuthenticationError, NotFoundError, ValidationError } from "../../src";
import { ADMIN_TOKEN, admin, client, rejection, shopper } from "./helpers";

describe("merchants (admin)", () => {
  it("creates a merchant whose key works", async () => {
    const merchant = await admin.merchants.create({ name: "Acme Outdoor", email: "pay@acme.test" });
    expect(merchant).toMatchObject({ object: "merchant", name: "Acme Outdoor", email: "pay@acme.test" });
    expect(merchant.secret_key).toMatch(/^sk_test_/);
    const list = await client(merchant.secret_key).customers.list();
    expect(list.data).toEqual([]);
  });

  it("issues another key, test mode by default", async () => {
    const merchant = await admin.merchants.create({ name: "Keys" });
    const key = await admin.merchants.createKey(merchant.id);
    expect(key).toMatchObject({ object: "api_key", merchant: merchant.id, mode: "test" });
    expect((await client(key.secret_key).customers.list()).data).toEqual([]);
    await rejection(admin.merchants.createKey("mer_nope"), NotFoundError, 404, "not_found");
  });

  it("maps a wrong admin token and an invalid body", async () => {
    await rejection(
      client("not-the-admin-token").merchants.create({ name: "X" }),
      AuthenticationError,
      401,
      "invalid_api_key",
    );
    const invalid = await rejection(admin.merchants.create({ name: "" }), ValidationError, 400, "validation_error");
    expect(invalid.errors.map((e) => e.path)).toEqual(["name"]);
  });
});

describe("customers", () => {
  it("creates, retrieves and lists", async () => {
    const { tranche, customer } = await shopper();
    expect(customer).toMatchObject({ object: "customer", email: "ada@example.com", name: "Ada", livemode: false });
    expect(await tranche.customers.retrieve(customer.id)).toEqual(customer);
    const bare = await tranche.customers.create();
    expect(bare.email).toBeNull();
    const page = await tranche.customers.list({ limit: 1 });
    expect(page.data.map((c) => c.id)).toEqual([bare.id]);
    expect(page.has_more).toBe(true);
  });

  it("pages through every customer with for await, and a page at a time", async () => {
    const { tranche, customer } = await shopper();
    const more = [await tranche.customers.create(), await tranche.customers.create(), await tranche.customers.create()];
    const newestFirst = [...more.reverse(), customer].map((c) => c.id);

    const seen: string[] = [];
    for await (const c of tranche.customers.list({ limit: 2 })) seen.push(c.id);
    expect(seen).toEqual(newestFirst);

    const first = await tranche.customers.list({ limit: 3 });
    expect(first.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));
    const second = await first.nextPage();
    expect(second?.data.map((c) => c.id)).toEqual(newestFirst.slice(3));
    expect(second?.has_more).toBe(false);
    expect(second?.nextPage()).toBeNull();

    const after = await tranche.customers.list({ starting_after: newestFirst[1] });
    expect(after.data.map((c) => c.id)).toEqual(newestFirst.slice(2));
  });

  it("maps 401, 404 for another merchant's customer, and 400 on a bad query", async () => {
    const a = await shopper();
    const b = await shopper();
    await rejection(b.tranche.customers.retrieve(a.customer.id), NotFoundError, 404, "not_found");
    await rejection(b.tranche.customers.paymentMethods.list(a.customer.id), NotFoundError, 404, "not_found");
    await rejection(client(`sk_test_${"0".repeat(32)}`).customers.list(), AuthenticationError, 401, "invalid_api_key");
    await rejection(client(ADMIN_TOKEN).customers.retrieve(a.customer.id), AuthenticationError, 401, "invalid_api_key");
    const bad = await rejection(a.tranche.customers.list({ limit: 500 }), ValidationError, 400, "validation_error");
    expect(bad.errors[0]?.path).toBe("limit");
  });

  it("encodes ids into the path, so an id cannot reach another route", async () => {
    const { tranche, customer } = await shopper();
    await rejection(tranche.customers.retrieve(`${customer.id}/payment_methods`), NotFoundError, 404, "not_found");
    await rejection(tranche.customers.retrieve("../purchases"), NotFoundError, 404, "not_found");
  });
});

describe("payment methods", () => {
  it("attaches cards from test tokens and lists them", async () => {
    const { tranche, customer, card } = await shopper();
    expect(card).toMatchObject({
      object: "payment_method",
      customer: customer.id,
      card: { brand: "visa", last4: "4242" },
    });
    const mc = await tranche.customers.paymentMethods.create(customer.id, { token: "tok_mastercard" });
    const list = await tranche.customers.paymentMethods.list(customer.id);
    expect(list.data.map((m) => m.id)).toEqual([mc.id, card.id]);
    const all: string[] = [];
    for await (const m of tranche.customers.paymentMethods.list(customer.id)) all.push(m.id);
    expect(all).toEqual([mc.id, card.id]);
  });

  it("maps a missing token and an unknown customer", async () => {
    const { tranche, customer } = await shopper();
    await rejection(
      tranche.customers.paymentMethods.create(customer.id, { token: "" }),
      ValidationError,
      400,
      "validation_error",
    );
    await rejection(
      tranche.customers.paymentMethods.create("cus_00000000000000000000000000", { token: "tok_visa" }),
      NotFoundError,
      404,
      "not_found",
    );
  });
});
