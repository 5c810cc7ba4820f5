import { Tranche } from "@tranche/sdk";
import type { Command } from "commander";
import { contextOf, print } from "../../context";
import { wholeNumber } from "../purchases";
import { personas } from "./book";
import { live, pool } from "./run";
import { humanSummary, progress, summarise } from "./summary";

type SeedOptions = { customers: number; months: number; seed: number; concurrency: number; adminToken?: string };

export function registerSeed(program: Command): void {
  program
    .command("seed")
    .summary("fill the test book with a realistic demo")
    .description(
      "Create a demo book through the API in test mode: customers with test cards (some fail and recover, some " +
        "never pay), purchases on every plan in EUR, USD and SEK, refunds, and write-offs with --admin-token; " +
        "then move each customer's test clock --months forward, a month at a time. The same --seed gives the " +
        "same book. Progress on stderr, a summary at the end (--json for scripts).",
    )
    .option("--customers <n>", "how many customers, 1–100000 (500 makes a fuller demo)", wholeNumber(1, 100_000), 50)
    .option("--months <n>", "how far to move the test clocks, 1–36 months", wholeNumber(1, 36), 6)
    .option("--seed <n>", "the random seed: the same seed, the same book", wholeNumber(0, 2 ** 32 - 1), 1)
    .option("--concurrency <n>", "customers seeded at once, 1–32", wholeNumber(1, 32), 4)
    .option("--admin-token <token>", "the deployment's ADMIN_TOKEN (or TRANCHE_ADMIN_TOKEN), to write bad debts off")
    .action(async (opts: SeedOptions, command: Command) => {
      const ctx = contextOf(command);
      const adminToken = opts.adminToken ?? process.env.TRANCHE_ADMIN_TOKEN;
      const admin = adminToken ? new Tranche(adminToken, { baseUrl: ctx.baseUrl }) : undefined;
      const started = Date.now();
      const bar = progress(opts.customers);
      const outcomes = await pool(
        personas(opts.customers, opts.months, opts.seed),
        opts.concurrency,
        (p) => live(ctx.tranche, p, opts.months, admin),
        () => bar.tick(),
      );
      const summary = summarise(outcomes);
      print(ctx, summary, () => humanSummary(summary, (Date.now() - started) / 1000));
    });
}
