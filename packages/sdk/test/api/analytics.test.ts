import { describe, expect, it, vi } from "vitest";
import { type PaymentAnalytics, PaymentDeclinedError, ValidationError } from "../../src";
import { order, rejection, shopper } from "./helpers";

/** Data points land just after each answer, so a figure is awaited rather than read once. */
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 5_000, interval: 50 });

const sumOf = (series: PaymentAnalytics["series"], event: string) =>
  series.filter((p) => p.event === event).reduce((s, p) => s + p.amount, 0);

describe("analytics", () => {
  it("reports payments and requests, typed, for the key's merchant only", async () => {
    const { tranche, customer, card } = await shopper();
    await tranche.purchases.create(order(customer.id, card.id));
    const broke = await tranche.customers.create();
    const brokeCard = await tranche.customers.paymentMethods.create(broke.id, { token: "tok_insufficient_funds" });
    // Declined at checkout (402): the decline is counted, and no capture: the purchase was never taken on.
    await rejection(
      tranche.purchases.create(order(broke.id, brokeCard.id, { amount: 5000, plan: { type: "pay_in_full" } })),
      PaymentDeclinedError,
      402,
      "payment_declined",
    );

    await eventually(async () => {
      const payments = await tranche.analytics.payments();
      expect(payments.charges).toMatchObject({ attempted: 2, succeeded: 1, declined: 1, success_rate: 0.5 });
      expect(payments.charges.by_decline_code).toEqual([
        { decline_code: "insufficient_funds", declined: 1, rate: 0.5 },
      ]);
      expect(sumOf(payments.series, "capture")).toBe(12000);
    });

    const inFull = await tranche.analytics.payments({ plan_type: "pay_in_full", granularity: "hour" });
    expect(inFull).toMatchObject({ object: "payment_analytics", plan_type: "pay_in_full", granularity: "hour" });
    expect(inFull.charges.by_plan_type).toEqual([
      { plan_type: "pay_in_full", attempted: 1, succeeded: 0, declined: 1, success_rate: 0, decline_rate: 1 },
    ]);

    await eventually(async () => {
      const requests = await tranche.analytics.requests();
      const purchases = requests.routes.find((r) => r.method === "POST" && r.route === "/v1/purchases");
      expect(purchases).toMatchObject({ requests: 2, server_errors: 0, error_rate: 0 });
    });

    const stranger = await shopper();
    const theirs = await stranger.tranche.analytics.payments();
    expect(theirs.series).toEqual([]);
    expect(theirs.charges.attempted).toBe(0);
  });

  it("maps bad parameters to ValidationError naming the parameter", async () => {
    const { tranche } = await shopper();
    const backwards = tranche.analytics.requests({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" });
    const error = await rejection(backwards, ValidationError, 400, "validation_error");
    expect(error.errors.map((e) => e.path)).toEqual(["from"]);
    // @ts-expect-error: the types allow only hour and day.
    const weekly = tranche.analytics.payments({ granularity: "week" });
    expect((await rejection(weekly, ValidationError, 400, "validation_error")).errors[0]?.path).toBe("granularity");
  });
});
