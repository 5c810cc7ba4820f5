// A checkout from Node: a customer, their card, a six-month financing purchase captured when the
// order ships, then the customer's test clock moved to each due date while the schedule is paid.
// Run `pnpm dev` at the root first, then: pnpm --filter node-checkout start
import { existsSync, readFileSync } from "node:fs";
import { type Purchase, Tranche, TrancheError } from "@tranche/sdk";

/** `pnpm dev` keeps its demo merchant's key here. */
const DEMO = new URL("../../.wrangler/demo-merchant.json", import.meta.url);

function apiKey(): string {
  if (process.env.TRANCHE_API_KEY) return process.env.TRANCHE_API_KEY;
  if (existsSync(DEMO)) return JSON.parse(readFileSync(DEMO, "utf8")).secret_key;
  throw new Error("Start `pnpm dev` at the repository root first, or set TRANCHE_API_KEY.");
}

const tranche = new Tranche(apiKey(), { baseUrl: process.env.TRANCHE_BASE_URL ?? "http://localhost:8787" });

/** Minor units to a display string: the only place a float appears, and it never goes back. */
function money(amount: number, currency: string): string {
  const format = new Intl.NumberFormat("en", { style: "currency", currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function printSchedule(p: Purchase) {
  const rows = [["#", "due", "amount", "principal", "interest", "status"]];
  for (const i of p.installments) {
    const amounts = [i.amount, i.principal, i.interest].map((a) => money(a, p.currency));
    rows.push([String(i.number), i.due_at.slice(0, 10), ...amounts, i.status]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => r[c]?.length ?? 0))) ?? [];
  for (const r of rows) console.log(`  ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ")}`);
}

try {
  const customer = await tranche.customers.create({ email: "ada@example.com", name: "Ada Lovelace" });
  const card = await tranche.customers.paymentMethods.create(customer.id, { token: "tok_visa" });
  console.log(`customer ${customer.id}, card ${card.card.brand} ···· ${card.card.last4}`);

  let purchase = await tranche.purchases.create({
    customer: customer.id,
    payment_method: card.id,
    amount: 120000,
    currency: "EUR",
    plan: { type: "financing", months: 6, apr_bps: 1999 },
    capture: "manual",
    merchant_reference: "order-6735",
    line_items: [{ name: "Trail tent, 2 person", quantity: 1, unit_amount: 120000 }],
  });
  console.log(`\npurchase ${purchase.id}: ${purchase.status}, ${money(purchase.total, purchase.currency)} in all`);

  // The order ships: capture starts the schedule, counted from now.
  purchase = await tranche.purchases.capture(purchase.id);
  console.log(`captured ${purchase.captured_at}; the schedule:\n`);
  printSchedule(purchase);

  console.log("\nmoving the customer's test clock to each due date:\n");
  for (const installment of purchase.installments) {
    const clock = await tranche.testHelpers.advanceClock(customer.id, { to: installment.due_at });
    purchase = await tranche.purchases.retrieve(purchase.id);
    for (const action of clock.ran.filter((a) => a.type === "charge")) {
      const paid = purchase.installments.find((i) => i.number === action.installment);
      console.log(
        `  ${action.at.slice(0, 10)}  #${action.installment}  ${money(paid?.amount ?? 0, purchase.currency)} ${action.outcome}` +
          `  → ${money(purchase.amount_outstanding, purchase.currency)} outstanding, purchase ${purchase.status}`,
      );
    }
  }
  console.log("\nthe schedule at the end:\n");
  printSchedule(purchase);
} catch (error) {
  if (!(error instanceof TrancheError)) throw error;
  console.error(
    `${error.name} ${error.status ?? ""} ${error.code ?? ""}: ${error.message} (${error.requestId ?? "no request id"})`,
  );
  process.exitCode = 1;
}
