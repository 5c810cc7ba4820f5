import type { Purchase } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../shared/test/runs";
import { planParamsArb } from "./arbitraries";
import { call, shopper } from "./helpers";

/** Anything JSON can say: what a careless or hostile client might send. */
const JUNK = fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.double(), fc.constant(null));

describe("properties through the API", () => {
  it("every valid purchase's installments sum exactly to its total", async () => {
    const { key, customer, card } = await shopper({
      credit_limits: { EUR: 100_000_000_000, JPY: 100_000_000_000, KWD: 100_000_000_000 },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 36, max: 10_000_000 }),
        fc.constantFrom("EUR", "JPY", "KWD"),
        planParamsArb,
        async (amount, currency, plan) => {
          const res = await call<Purchase>("/v1/purchases", {
            key,
            body: { customer: customer.id, payment_method: card.id, amount, currency, plan },
          });
          expect(res.status).toBe(201);
          const p = res.body;
          expect(p.installments.reduce((s, i) => s + i.amount, 0)).toBe(p.total);
          expect(p.installments.reduce((s, i) => s + i.principal, 0)).toBe(amount);
          for (const i of p.installments) {
            expect(Number.isInteger(i.amount) && i.amount > 0).toBe(true);
          }
        },
      ),
      { numRuns: runs(20, 240) },
    );
  });

  it("no body a client can send gets a 500, and refusals are problem+json", async () => {
    const { key, customer, card } = await shopper();
    const valid = {
      customer: customer.id,
      payment_method: card.id,
      amount: 1000,
      currency: "EUR",
      plan: { type: "pay_in_n" },
    };
    const mutated = fc
      .tuple(fc.constantFrom(...Object.keys(valid), "plan.type", "plan.n", "extra"), JUNK)
      .map(([field, value]) => {
        const body: Record<string, unknown> = structuredClone(valid);
        if (field.startsWith("plan.")) (body.plan as Record<string, unknown>)[field.slice(5)] = value;
        else body[field] = value;
        return JSON.stringify(body);
      });
    const raw = fc.oneof(
      mutated,
      JUNK.map((v) => JSON.stringify(v)),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (body) => {
        const res = await call("/v1/purchases", { key, raw: body });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.res.headers.get("Content-Type")).toBe("application/problem+json");
      }),
      { numRuns: runs(50, 600) },
    );
  });

  it("no query string gets a 500 on the lists", async () => {
    const { key } = await shopper();
    const param = fc.constantFrom("limit", "starting_after", "customer", "status", "created[gte]", "created[lt]", "x");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(param, fc.string()), { maxLength: 4 }),
        fc.constantFrom("/v1/purchases", "/v1/customers"),
        async (pairs, path) => {
          const qs = new URLSearchParams(pairs).toString();
          const res = await call(`${path}?${qs}`, { key });
          expect(res.status === 200 || res.status === 400).toBe(true);
        },
      ),
      { numRuns: runs(30, 400) },
    );
  });
});
