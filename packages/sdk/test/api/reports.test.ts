import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../src";
import { rejection, shopper } from "./helpers";

/** A customer with one pay-in-4 purchase of 120.00 captured on 2027-02-01, its first part paid. */
async function book() {
  const s = await shopper();
  await s.tranche.testHelpers.advanceClock(s.customer.id, { to: "2027-02-01T10:00:00.000Z" });
  const purchase = await s.tranche.purchases.create({
    customer: s.customer.id,
    payment_method: s.card.id,
    amount: 12000,
    currency: "EUR",
    plan: { type: "pay_in_n" },
  });
  return { ...s, purchase };
}

async function text(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("reports", () => {
  it("answers each report typed, as JSON", async () => {
    const { tranche } = await book();
    const settlements = await tranche.reports.settlements({
      from: "2027-02-01",
      to: "2027-03-01",
      granularity: "total",
    });
    expect(settlements.data).toMatchObject([{ period: "2027-02-01/2027-03-01", captured: 12000, collected: 3000 }]);
    const collections = await tranche.reports.collections({
      from: "2027-02-01",
      to: "2027-03-01",
      granularity: "month",
    });
    expect(collections.data[0]).toMatchObject({ due_count: 2, collected_on_time_count: 1, outstanding_amount: 3000 });
    const aging = await tranche.reports.aging();
    expect(aging.data).toEqual([
      { currency: "EUR", not_yet_due: 9000, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0, total: 9000 },
    ]);
  });

  it("returns the CSV export as text with format: csv, and as a stream", async () => {
    const { tranche, customer } = await book();
    const params = { from: "2027-02-01", to: "2027-02-08", granularity: "day" } as const;
    const csv = await tranche.reports.settlements({ ...params, format: "csv" });
    expect(csv.split("\r\n")[0]).toMatch(/^period_start,period_end,period,currency,receivable_opening,/);
    expect(csv.split("\r\n")).toHaveLength(7 + 2); // header, 7 days, and the last line's CRLF
    expect(await text(await tranche.reports.stream("settlements", params))).toBe(csv);
    expect(await text(await tranche.reports.stream("aging"))).toBe(await tranche.reports.aging({ format: "csv" }));

    const statement = await tranche.customers.statement(customer.id, { from: "2027-02-01", to: "2027-03-01" });
    expect(statement.data.map((l) => [l.type, l.amount])).toEqual([
      ["capture", 12000],
      ["payment", -3000],
    ]);
    const statementCsv = await tranche.customers.statement(customer.id, {
      from: "2027-02-01",
      to: "2027-03-01",
      format: "csv",
    });
    expect(statementCsv).toContain("capture,");
    expect(
      await text(await tranche.customers.statementStream(customer.id, { from: "2027-02-01", to: "2027-03-01" })),
    ).toBe(statementCsv);
  });

  it("maps bad parameters and unknown customers to their errors", async () => {
    const { tranche } = await book();
    const bad = await rejection(
      tranche.reports.settlements({ from: "2027-03-01", to: "2027-02-01" }),
      ValidationError,
      400,
      "validation_error",
    );
    expect(bad.errors.map((e) => e.path)).toEqual(["to"]);
    await rejection(
      tranche.customers.statement("cus_00000000000000000000000000", { from: "2027-02-01", to: "2027-03-01" }),
      NotFoundError,
      404,
      "not_found",
    );
  });
});
