import { describe, expect, it } from "vitest";
import { advanceClock, books, call, customerWith, plusDays, purchaseBody } from "../helpers";

/**
 * On a processor that waits, two runs of a customer's schedule can reach the same due charge at
 * once. Before due charges were intents (issue 18), both sent it: the processor replayed the
 * second by its key, but the ledger booked the installment twice.
 */
describe("a due charge runs once however its runs interleave", () => {
  it("two advance_clock commands at once past a due date book installment 2 once", async () => {
    const { key, customer, card, stub } = await customerWith();
    const start = "2027-01-04T10:00:00.000Z";
    await advanceClock(key, customer.id, start);
    expect((await call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) })).status).toBe(201);
    const path = `/v1/test_helpers/customers/${customer.id}/advance_clock`;
    const advances = [plusDays(start, 14), plusDays(start, 14.05)].map((to) => call(path, { key, body: { to } }));
    expect((await Promise.all(advances)).map((r) => r.status)).toEqual([200, 200]);
    const b = await books(stub);
    expect(b.successes).toHaveLength(2);
    expect(b.balance("processor_clearing")).toBe(6000);
  });

  it("a checkout on real time books its first installment once, though the alarm it arms runs beside it", async () => {
    const { key, customer, card, stub } = await customerWith();
    expect((await call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) })).status).toBe(201);
    // Time for the alarm the checkout armed to fire and run whatever it finds due.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const b = await books(stub);
    expect(b.successes).toHaveLength(1);
    expect(b.balance("processor_clearing")).toBe(3000);
  });
});
