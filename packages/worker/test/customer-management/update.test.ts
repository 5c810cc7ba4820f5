import type { Customer, Event, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { call, createPurchase, expectProblem, purchaseBody, shopper } from "../helpers";

/** `POST /v1/customers/{id}` (issue 20, item 5): a merchant changes what it knows of a customer. */
describe("updating a customer", () => {
  it("changes what is given, merges metadata and limits, and emits customer.updated", async () => {
    const { key, customer, card } = await shopper({
      metadata: { tier: "gold", source: "web" },
      credit_limits: { EUR: 90000 },
    });
    const res = await call<Customer>(`/v1/customers/${customer.id}`, {
      key,
      body: {
        email: "ada.l@example.com",
        name: null,
        metadata: { tier: "", campaign: "winter" },
        credit_limits: { usd: 50000 },
        default_payment_method: card.id,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: customer.id,
      email: "ada.l@example.com",
      name: null,
      metadata: { source: "web", campaign: "winter" },
      credit_limits: { EUR: 90000, USD: 50000 },
      default_payment_method: card.id,
      redacted: false,
    });
    expect((await call<Customer>(`/v1/customers/${customer.id}`, { key })).body).toEqual(res.body);
    const list = await call<{ data: Customer[] }>("/v1/customers", { key });
    expect(list.body.data.find((c) => c.id === customer.id)).toEqual(res.body);
    const events = await call<{ data: Event[] }>(`/v1/events?customer=${customer.id}&type=customer.updated`, { key });
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0]).toMatchObject({ customer: customer.id, purchase: null, data: { object: res.body } });
  });

  it("replays its answer to a retry of the same Idempotency-Key, changing nothing twice", async () => {
    const { key, customer } = await shopper();
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const body = { metadata: { note: "first" } };
    const first = await call<Customer>(`/v1/customers/${customer.id}`, { key, body, headers });
    const again = await call<Customer>(`/v1/customers/${customer.id}`, { key, body, headers });
    expect(again.status).toBe(200);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const events = await call<{ data: Event[] }>(`/v1/events?customer=${customer.id}&type=customer.updated`, { key });
    expect(events.body.data).toHaveLength(1);
    await expectProblem(
      call(`/v1/customers/${customer.id}`, { key, body: { metadata: { note: "other" } }, headers }),
      422,
      "idempotency_key_reused",
    );
  });

  it("lowers a credit limit below what is owed: nothing owed changes, new purchases are refused", async () => {
    const { key, customer, card } = await shopper();
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 12000 }));
    const lowered = await call<Customer>(`/v1/customers/${customer.id}`, {
      key,
      body: { credit_limits: { EUR: 1000 } },
    });
    expect(lowered.status).toBe(200);
    expect((await call<Purchase>(`/v1/purchases/${purchase.id}`, { key })).body.amount_outstanding).toBe(
      purchase.amount_outstanding,
    );
    await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id, { amount: 100 }) }),
      400,
      "credit_limit_exceeded",
    );
    // Another currency keeps its own (default) limit.
    expect(
      (await call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id, { currency: "USD" }) })).status,
    ).toBe(201);
  });

  it("refuses a default card the customer does not have, and too many metadata keys once merged", async () => {
    const { key, customer } = await shopper({
      metadata: Object.fromEntries([...Array(50)].map((_, i) => [`k${i}`, "v"])),
    });
    await expectProblem(
      call(`/v1/customers/${customer.id}`, { key, body: { default_payment_method: "pm_01JDQ8Z6W2N8X4C2V7B5K9M3PC" } }),
      400,
      "validation_error",
    );
    await expectProblem(
      call(`/v1/customers/${customer.id}`, { key, body: { metadata: { k50: "v" } } }),
      400,
      "validation_error",
    );
    // Removing one makes room.
    const swapped = await call<Customer>(`/v1/customers/${customer.id}`, {
      key,
      body: { metadata: { k0: "", k50: "v" } },
    });
    expect(swapped.status).toBe(200);
    expect(Object.keys(swapped.body.metadata)).toHaveLength(50);
  });
});
