import { type Purchase, Tranche } from "@tranche/sdk";
import { describe, expect, inject, it } from "vitest";
import type { Summary } from "../../src/commands/seed/summary";
import { envFor, tranche } from "./cli";
import { ADMIN_TOKEN, merchantKey } from "./worker";

const base = inject("base");

const countBy = (purchases: Purchase[], key: (p: Purchase) => string) => {
  const counts: Record<string, number> = {};
  for (const p of purchases) counts[key(p)] = (counts[key(p)] ?? 0) + 1;
  return counts;
};

/** Retries `check` until it stops throwing: the list and the reports are read models, a batch behind. */
async function eventually<T>(check: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (error) {
      if (attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

describe("tranche seed", () => {
  it("seeds a book whose settlement report reconciles with its purchases", async () => {
    const key = await merchantKey(base);
    const run = await tranche(
      ["seed", "--customers", "8", "--months", "3", "--seed", "46", "--json", "--admin-token", ADMIN_TOKEN],
      envFor(base, key),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/seeding: 8\/8 customers/);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.customers).toBe(8);
    // Seed 46's eight customers include a hard decline, a refund and a never-paying card (written off).
    expect(summary.by_status.declined).toBe(1);
    expect(summary.written_off).toBe(1);
    expect(Object.keys(summary.refunded).length).toBeGreaterThan(0);

    const api = new Tranche(key, { baseUrl: base });
    await eventually(async () => {
      const purchases: Purchase[] = [];
      for await (const p of api.purchases.list({ limit: 100 })) purchases.push(p);
      expect(purchases.length).toBe(summary.purchases);
      expect(countBy(purchases, (p) => p.plan.type)).toEqual(summary.by_plan);
      expect(countBy(purchases, (p) => p.status)).toEqual(summary.by_status);
      expect(countBy(purchases, (p) => p.currency)).toEqual(summary.by_currency);

      // What the purchases imply, per currency: the price of those captured, and what was refunded of it.
      const implied: Record<string, { captured: number; refunded: number }> = {};
      // A declined purchase keeps the time its checkout capture was tried as captured_at, and captured nothing.
      for (const p of purchases.filter((p) => p.captured_at !== null && p.status !== "declined")) {
        const row = implied[p.currency] ?? { captured: 0, refunded: 0 };
        implied[p.currency] = row;
        row.captured += p.amount;
        row.refunded += p.amount_refunded;
      }
      const report = await api.reports.settlements({ from: "2020-01-01", to: "2060-01-01", granularity: "total" });
      const reported = Object.fromEntries(
        report.data
          .filter((r) => r.captured !== 0 || r.refunded !== 0)
          .map((r) => [r.currency, { captured: r.captured, refunded: r.refunded }]),
      );
      expect(reported).toEqual(implied);
      for (const r of report.data) expect(r.net_payable).toBe(r.captured - r.refunded);
    });
  });

  it("refuses a bad number with the usage, exit 2", async () => {
    const run = await tranche(["seed", "--customers", "many"], envFor(base, "sk_test_unused"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--customers.*a whole number from 1 to 100000/);
    expect(run.stderr).toMatch(/Usage: tranche seed/);
  });
});
