// What a merchant writes with a client generated from /openapi.json (openapi-typescript's `paths`)
// and openapi-fetch: a customer, their card, a purchase, and the purchase in the list. Type-checked
// against freshly generated types by test/node/openapi-client.test.ts, run against the Worker by
// test/api/openapi-client.test.ts.
import createClient from "openapi-fetch";
import type { paths } from "./schema.generated";

export interface CheckoutOptions {
  baseUrl: string;
  key: string;
  fetch?: (request: Request) => Promise<Response>;
}

export async function checkout({ baseUrl, key, fetch }: CheckoutOptions) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` }, ...(fetch && { fetch }) });

  const customer = await client.POST("/v1/customers", { body: { email: "ada@example.com", name: "Ada Lovelace" } });
  if (!customer.data) throw new Error(`create customer: ${customer.error?.detail}`);

  const card = await client.POST("/v1/customers/{id}/payment_methods", {
    params: { path: { id: customer.data.id } },
    body: { token: "tok_visa" },
  });
  if (!card.data) throw new Error(`attach card: ${card.error?.detail}`);

  const purchase = await client.POST("/v1/purchases", {
    params: { header: { "idempotency-key": crypto.randomUUID() } },
    body: {
      customer: customer.data.id,
      payment_method: card.data.id,
      amount: 12000,
      currency: "EUR",
      plan: { type: "pay_in_n", n: 4 },
    },
  });
  if (!purchase.data) throw new Error(`create purchase: ${purchase.error?.code}: ${purchase.error?.detail}`);

  const list = await client.GET("/v1/purchases", { params: { query: { customer: customer.data.id, limit: 10 } } });
  if (!list.data) throw new Error(`list purchases: ${list.error?.detail}`);

  return { customer: customer.data, card: card.data, purchase: purchase.data, purchases: list.data.data };
}
