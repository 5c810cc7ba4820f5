// The README's SDK snippet (the region below, word for word: packages/sdk/test/node/readme-snippets.test.ts
// checks it), runnable from the repository root with `pnpm example:sdk` while `pnpm dev` runs.
// TRANCHE_API_KEY and TRANCHE_BASE_URL name another key or Tranche.
import { existsSync, readFileSync } from "node:fs";

/** `pnpm dev` keeps its demo merchant's key here. */
const DEMO = new URL("../../.wrangler/demo-merchant.json", import.meta.url);
const KEY =
  process.env.TRANCHE_API_KEY ??
  (existsSync(DEMO) ? (JSON.parse(readFileSync(DEMO, "utf8")).secret_key as string) : "sk_test_…");
const BASE_URL = process.env.TRANCHE_BASE_URL ?? "http://localhost:8787";

// #region readme
import { PaymentDeclinedError, Tranche } from "@tranche/sdk";

const tranche = new Tranche(KEY, { baseUrl: BASE_URL });
const customer = await tranche.customers.create({ email: "ada@example.com", name: "Ada Lovelace" });
const card = await tranche.customers.paymentMethods.create(customer.id, { token: "tok_visa" });
const purchase = await tranche.purchases.create({
  customer: customer.id,
  payment_method: card.id,
  amount: 12000,
  currency: "EUR",
  plan: { type: "pay_in_n" },
});
console.log(purchase.id, purchase.status, purchase.total); // pur_01… active 12000

for await (const p of tranche.purchases.list({ customer: customer.id })) console.log(p.id, p.status);

try {
  await tranche.purchases.installments.pay(purchase.id, 2);
} catch (error) {
  if (!(error instanceof PaymentDeclinedError)) throw error; // error.status, .code, .requestId, .problem
}
// #endregion readme
