import type { Purchase, PurchaseListParams, PurchaseStatus, RefundCreateParams } from "@tranche/sdk";
import { type Command, InvalidArgumentError, Option } from "commander";
import { contextOf, print } from "../context";

const purchaseLine = (p: Purchase) =>
  `${p.id}  ${p.status.padEnd(10)} ${String(p.amount).padStart(9)} ${p.currency}  ${p.customer}  ${p.created_at}`;

/** A whole number from `min` to `max`, for commander's option parsers. */
export const wholeNumber = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return n;
};

export function registerPurchases(program: Command): void {
  const purchases = program.command("purchases").description("list, show and refund purchases");
  purchases
    .command("list")
    .description("The newest purchases first, one line each (--json: the list).")
    .option("--customer <id>", "only this customer's")
    .option("--status <status>", "only purchases in this status, e.g. active, delinquent")
    .option("--limit <n>", "how many, 1–100", wholeNumber(1, 100), 10)
    .action(async (opts: { customer?: string; status?: string; limit: number }, command: Command) => {
      const ctx = contextOf(command);
      const params: PurchaseListParams = { limit: opts.limit };
      if (opts.customer) params.customer = opts.customer;
      if (opts.status) params.status = opts.status as PurchaseStatus;
      const page = await ctx.tranche.purchases.list(params);
      print(ctx, page.data, () => page.data.map(purchaseLine).join("\n") || "No purchases.");
    });
  purchases
    .command("get")
    .description("One purchase, as JSON.")
    .argument("<id>", "a pur_ id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const ctx = contextOf(command);
      const purchase = await ctx.tranche.purchases.retrieve(id);
      print({ json: true }, purchase, () => "");
    });
  purchases
    .command("refund")
    .description("Refund a purchase: all that is refundable, or --amount (minor units).")
    .argument("<id>", "a pur_ id")
    .option("--amount <minor units>", "how much, in the currency's minor unit", wholeNumber(1, Number.MAX_SAFE_INTEGER))
    .addOption(
      new Option("--reason <reason>", "why").choices([
        "requested_by_customer",
        "returned_goods",
        "duplicate",
        "fraudulent",
      ]),
    )
    .action(async (id: string, opts: RefundCreateParams, command: Command) => {
      const ctx = contextOf(command);
      const params: RefundCreateParams = {};
      if (opts.amount !== undefined) params.amount = opts.amount;
      if (opts.reason) params.reason = opts.reason;
      const refund = await ctx.tranche.purchases.refunds.create(id, params);
      print(ctx, refund, () => `Refunded ${refund.amount} of ${id}: ${refund.id} (${refund.status}).`);
    });
}
