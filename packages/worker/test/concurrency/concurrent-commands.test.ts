import { env } from "cloudflare:test";
import type { MerchantWithKey, Problem, Purchase } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { runs } from "../../../shared/test/runs";
import { advanceClock, attachCard, call, createCustomer, createMerchant, purchaseBody } from "../helpers";
import { expectConsistentBooks, settled } from "./books";
import { cardArb, type Operation, type Outcome, operationArb, planArb, prepare, type Run } from "./operations";

/**
 * Issue 18: commands and alarm runs fired together at one customer, on a processor that takes time
 * to answer (this file runs in the latent-processor project, vitest.config.ts), so they interleave
 * inside the customer's object while charges and payouts are in flight. Whatever the order, after
 * each batch: nothing charged or paid out twice, the books balanced, and no 5xx.
 */

const START = Date.parse("2027-01-04T10:00:00.000Z");

/** A new customer with a card of `token` and a purchase per plan on it, on a test clock or real time. */
async function newRun(merchant: MerchantWithKey, token: string, plans: readonly object[], frozen: boolean) {
  const key = merchant.secret_key;
  const customer = await createCustomer(key);
  const card = await attachCard(key, customer.id, token);
  if (frozen) await advanceClock(key, customer.id, new Date(START).toISOString());
  const purchases: string[] = [];
  for (const plan of plans) {
    const res = await call<Purchase | Problem>("/v1/purchases", {
      key,
      body: purchaseBody(customer.id, card.id, { plan }),
    });
    // A card declined at checkout leaves a declined purchase (402): commands on it are refused.
    expect([201, 402], JSON.stringify(res.body)).toContain(res.status);
    purchases.push("id" in res.body ? res.body.id : (res.body.purchase ?? ""));
  }
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
  const clock = frozen ? START : Date.now();
  return { key, customer: customer.id, stub, purchases, clock, sent: [] } satisfies Run;
}

/**
 * Any mix, two schedule runs at once included (two advance_clock commands, or one and an alarm),
 * which both reached the same due charge and booked it twice before due charges were intents.
 */
const batchArb = fc.array(operationArb, { minLength: 2, maxLength: runs(3, 4) });

// Each run small in `pnpm test` (batches of two or three, one or two of them), larger in the soak.
const RUNS = runs(200, 10_000);

describe("concurrent commands and alarm runs at one customer, on a processor that waits", () => {
  // A run is a new customer and a few dozen requests: longer than the default 5 s in all.
  const timeout = inject("soak") ? 12 * 3_600_000 : 600_000;
  it("never charge or pay out twice, keep the books balanced and never answer 5xx", { timeout }, async () => {
    const merchant = await createMerchant("Concurrent Outfitters");
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        cardArb,
        fc.tuple(fc.boolean(), fc.array(planArb, { minLength: 1, maxLength: 2 })),
        fc.array(batchArb, { minLength: 1, maxLength: runs(2, 3) }),
        async (token, [frozen, plans], batches: Operation[][]) => {
          ran += 1;
          const run = await newRun(merchant, token, plans, frozen);
          const log: Outcome[][] = [];
          for (const batch of batches) {
            log.push(await Promise.all(batch.map((op) => prepare(run, op)).map((send) => send())));
            const failed = log.flat().filter((o) => o.status >= 500);
            expect(failed, `no 5xx; the batches: ${JSON.stringify(log)}`).toEqual([]);
            // Only an alarm run on real time makes actions due, which a re-armed alarm may run by itself.
            if (!frozen && batch.some((op) => op.kind === "alarm")) await settled(run.stub);
            await expectConsistentBooks(run.key, run.stub, run.purchases).catch((e: Error) => {
              throw new Error(`${e.message}; the batches: ${JSON.stringify(log)}`, { cause: e });
            });
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(ran, "every run ran").toBe(RUNS);
  });
});
