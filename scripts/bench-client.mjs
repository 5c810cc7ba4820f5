// The benchmarks' HTTP client: JSON calls to the Worker under test, a bounded pool of tasks, and a
// merchant with customers who each have a card.

/** Runs `count` tasks, at most `width` at a time. */
export async function pool(count, width, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** A JSON client of the Worker at `base`: a GET, or a POST where there is a body; throws on a non-2xx answer. */
export function client(base) {
  return async function api(path, { key, body, headers = {} } = {}) {
    const res = await fetch(base + path, {
      method: body ? "POST" : "GET",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...headers },
      body: body && JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/** A merchant (its id and key) and `customers` customers with a card each, as the admin `admin` creates them. */
export async function shop(api, admin, name, customers) {
  console.log(`bench: setting up ${customers} customers of ${name}…`);
  const merchant = await api("/v1/merchants", { key: admin, body: { name } });
  const key = merchant.secret_key;
  const shoppers = [];
  for (let i = 0; i < customers; i++) {
    const customer = await api("/v1/customers", { key, body: { credit_limits: { EUR: 100_000_000_000 } } });
    const card = await api(`/v1/customers/${customer.id}/payment_methods`, { key, body: { token: "tok_visa" } });
    shoppers.push({ customer: customer.id, payment_method: card.id });
  }
  return { id: merchant.id, key, shoppers };
}

/** A pay-in-4 purchase's body for a shopper. */
export const purchaseBody = (s) => ({ ...s, amount: 10_000, currency: "EUR", plan: { type: "pay_in_n" } });
