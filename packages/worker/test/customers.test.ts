import type { Customer, List, PaymentMethod } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { attachCard, call, createCustomer, createMerchant, expectProblem } from "./helpers";

describe("customers", () => {
  it("creates, retrieves and lists customers newest first with cursor pagination", async () => {
    const { secret_key: key } = await createMerchant();
    const made: Customer[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await createCustomer(key, { email: `c${i}@example.com`, metadata: { i: String(i) } }));
    expect(made[0]).toMatchObject({
      object: "customer",
      email: "c0@example.com",
      livemode: false,
      metadata: { i: "0" },
    });

    const got = await call<Customer>(`/v1/customers/${made[2]?.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(made[2]);

    const page1 = await call<List<Customer>>("/v1/customers?limit=2", { key });
    expect(page1.body.data.map((c) => c.email)).toEqual(["c4@example.com", "c3@example.com"]);
    expect(page1.body.has_more).toBe(true);
    const page2 = await call<List<Customer>>(`/v1/customers?limit=2&starting_after=${page1.body.data[1]?.id}`, { key });
    expect(page2.body.data.map((c) => c.email)).toEqual(["c2@example.com", "c1@example.com"]);
    const page3 = await call<List<Customer>>(`/v1/customers?limit=2&starting_after=${page2.body.data[1]?.id}`, { key });
    expect(page3.body).toEqual({ object: "list", data: [made[0]], has_more: false });
  });

  it("rejects bad input with a 400 per field", async () => {
    const { secret_key: key } = await createMerchant();
    const p = await expectProblem(
      call("/v1/customers", { key, body: { email: "not-an-email", credit_limits: { EUR: -5 }, nickname: "x" } }),
      400,
      "validation_error",
    );
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["body", "credit_limits.EUR", "email"]);
    await expectProblem(call("/v1/customers?limit=0", { key }), 400, "validation_error");
    await expectProblem(call("/v1/customers?limit=101", { key }), 400, "validation_error");
    const list = await call<List<Customer>>("/v1/customers", { key });
    expect(list.body.data).toEqual([]);
  });

  it("requires a valid key", async () => {
    await expectProblem(call("/v1/customers"), 401, "authentication_required");
    await expectProblem(call("/v1/customers", { key: "sk_test_short" }), 401, "invalid_api_key");
    await expectProblem(call("/v1/customers", { key: `sk_test_${"a".repeat(32)}` }), 401, "invalid_api_key");
  });

  it("hides another merchant's customers (404) and their payment methods", async () => {
    const a = await createMerchant("A");
    const b = await createMerchant("B");
    const customer = await createCustomer(a.secret_key);
    await attachCard(a.secret_key, customer.id);
    await expectProblem(call(`/v1/customers/${customer.id}`, { key: b.secret_key }), 404, "not_found");
    await expectProblem(call(`/v1/customers/${customer.id}/payment_methods`, { key: b.secret_key }), 404, "not_found");
    await expectProblem(
      call(`/v1/customers/${customer.id}/payment_methods`, { key: b.secret_key, body: { token: "tok_visa" } }),
      404,
      "not_found",
    );
    const listB = await call<List<Customer>>("/v1/customers", { key: b.secret_key });
    expect(listB.body.data).toEqual([]);
    await expectProblem(call("/v1/customers/cus_garbage", { key: a.secret_key }), 404, "not_found");
  });

  it("attaches payment methods from the simulated processor's test tokens", async () => {
    const { secret_key: key } = await createMerchant();
    const customer = await createCustomer(key);
    const visa = await attachCard(key, customer.id, "tok_visa");
    expect(visa).toMatchObject({
      object: "payment_method",
      customer: customer.id,
      type: "card",
      card: { brand: "visa", last4: "4242" },
    });
    const flaky = await attachCard(key, customer.id, "tok_succeed_after_3");
    expect(flaky.card.last4).toBe("0003");
    for (const token of [
      "tok_insufficient_funds",
      "tok_hard_decline",
      "tok_processor_error",
      "tok_timeout",
      "tok_mastercard",
      "tok_refund_fails",
      "tok_refund_succeed_after_2",
    ]) {
      await attachCard(key, customer.id, token);
    }
    await expectProblem(
      call(`/v1/customers/${customer.id}/payment_methods`, { key, body: { token: "tok_unknown" } }),
      400,
      "validation_error",
    );
    const list = await call<List<PaymentMethod>>(`/v1/customers/${customer.id}/payment_methods`, { key });
    expect(list.body.data).toHaveLength(9);
    expect(list.body.data.at(-1)).toEqual(visa);
  });
});
