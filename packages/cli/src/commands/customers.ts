import type { Customer } from "@tranche/sdk";
import type { Command } from "commander";
import { contextOf, print } from "../context";
import { wholeNumber } from "./purchases";

const customerLine = (c: Customer) => `${c.id}  ${(c.email ?? "").padEnd(28)} ${c.name ?? ""}  ${c.created_at}`;

export function registerCustomers(program: Command): void {
  const customers = program.command("customers").description("list, show and create customers");
  customers
    .command("list")
    .description("The newest customers first, one line each (--json: the list).")
    .option("--limit <n>", "how many, 1–100", wholeNumber(1, 100), 10)
    .action(async (opts: { limit: number }, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.tranche.customers.list({ limit: opts.limit });
      print(ctx, page.data, () => page.data.map(customerLine).join("\n") || "No customers.");
    });
  customers
    .command("get")
    .description("One customer, as JSON.")
    .argument("<id>", "a cus_ id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const customer = await contextOf(command).tranche.customers.retrieve(id);
      print({ json: true }, customer, () => "");
    });
  customers
    .command("create")
    .description("A new customer; prints its id (--json: the customer).")
    .option("--email <email>", "the customer's email")
    .option("--name <name>", "the customer's name")
    .action(async (opts: { email?: string; name?: string }, command: Command) => {
      const ctx = contextOf(command);
      const customer = await ctx.tranche.customers.create(opts);
      print(ctx, customer, () => customer.id);
    });
}
