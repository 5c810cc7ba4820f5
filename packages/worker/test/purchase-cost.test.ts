// What one purchase costs on the platform, counted by wrapping the bindings (test/cost-meter.ts):
// the figures docs/deploy.md quotes. A change to the cost of the payment path shows here first.
import type { TestClock } from "@tranche/shared";
import { afterEach, describe, expect, it } from "vitest";
import { type Cost, meter, publish } from "./cost-meter";
import { advanceClock, call, plusDays, purchaseBody, shopper } from "./helpers";

let metering: ReturnType<typeof meter> | undefined;
afterEach(() => metering?.stop());

describe("the cost of a purchase", () => {
  it("counts a pay-in-4 purchase's Durable Object calls, D1 rows, analytics points and queue messages", async () => {
    const { key, customer, card } = await shopper();
    metering = meter();
    // As the SDK sends it: with an Idempotency-Key.
    const created = await call<{ captured_at: string }>("/v1/purchases", {
      key,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: purchaseBody(customer.id, card.id),
    });
    expect(created.status).toBe(201);
    const creation = metering.take();
    publish("at creation", creation);
    // The three later parts fall due every 14 days; the test clock runs them (and their reminders) in
    // one call where production runs each in an alarm of the customer's object.
    const clock: TestClock = await advanceClock(key, customer.id, plusDays(created.body.captured_at, 43));
    const rest = metering.take();
    publish("the rest of its life (3 charges, 3 reminders)", rest);

    expect(creation).toEqual<Cost>({
      durableObjectCalls: { createPurchase: 1 },
      d1RowsWritten: 124,
      d1Statements: 4,
      analyticsPoints: 4,
      queueMessages: 1,
    });
    expect(clock.ran.map((r) => r.type)).toEqual(["reminder", "charge", "reminder", "charge", "reminder", "charge"]);
    expect(rest).toEqual<Cost>({
      durableObjectCalls: { advanceClock: 1 },
      d1RowsWritten: 137,
      d1Statements: 4,
      analyticsPoints: 7,
      queueMessages: 1,
    });
  });
});
