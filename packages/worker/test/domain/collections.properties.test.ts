import { type Plan, PlanSchema } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../shared/test/runs";
import { type CollectionsPolicy, DEFAULT_POLICY, refundable, validatePolicy } from "../../src/domain/collections";
import { planParamsArb } from "../arbitraries";
import { checkBooks } from "./books";
import { inObject, type PurchaseSpec, TestCustomer } from "./customer";
import type { Outcome } from "./scripted-processor";

const HOUR = 3_600_000;
const NUM_RUNS = runs(60, 1000);
/** Each property plays every run's operations through the real, async commands and schedule. */
const TIMEOUT = 600_000;

const planArb: fc.Arbitrary<Plan> = planParamsArb.map((plan) => PlanSchema.parse(plan));

const purchaseArb: fc.Arbitrary<PurchaseSpec> = fc.record({
  // Small amounts are where rounding bites: interest-only rows, fees capped below one major unit.
  amount: fc.oneof(fc.integer({ min: 36, max: 3_000 }), fc.integer({ min: 36, max: 1_000_000_000 })),
  currency: fc.constantFrom("EUR", "JPY", "KWD"),
  plan: planArb,
  capture: fc.constantFrom("automatic", "manual"),
});

const policyArb: fc.Arbitrary<CollectionsPolicy> = fc.oneof(
  fc.constant(DEFAULT_POLICY),
  fc
    .record({
      retry_offsets_days: fc
        .uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 5 })
        .map((d) => d.sort((a, b) => a - b)),
      late_fee: fc.record({
        amount_major: fc.integer({ min: 0, max: 20 }),
        cap_bps: fc.integer({ min: 0, max: 10_000 }),
        cap_major: fc.integer({ min: 0, max: 100 }),
      }),
      payout_retry_hours: fc
        .uniqueArray(fc.integer({ min: 1, max: 24 * 30 }), { maxLength: 4 })
        .map((h) => h.sort((a, b) => a - b)),
      reminder_lead_days: fc.integer({ min: 0, max: 7 }),
      extension: fc.record({
        max_days: fc.integer({ min: 1, max: 30 }),
        max_per_installment: fc.integer({ min: 0, max: 3 }),
        fee_major: fc.integer({ min: 0, max: 5 }),
      }),
    })
    .map((overrides) => {
      const result = validatePolicy(overrides);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.policy;
    }),
);

const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  { arbitrary: fc.constant("succeeded" as const), weight: 3 },
  fc.constantFrom("soft_decline", "hard_decline", "processor_error"),
);

/** One command in four that calls the processor dies once its intent is committed, leaving it to the alarm. */
const evictedArb = fc.nat(3).map((n) => n === 0);

const opArb = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 40 * 24 }) }),
    weight: 5,
  },
  { arbitrary: fc.record({ type: fc.constant("capture" as const), p: fc.nat() }), weight: 2 },
  fc.record({ type: fc.constant("cancel" as const), p: fc.nat() }),
  fc.record({ type: fc.constant("pay" as const), p: fc.nat(), n: fc.nat(), evicted: evictedArb }),
  fc.record({ type: fc.constant("payoff" as const), p: fc.nat(), evicted: evictedArb }),
  // A share of the price in basis points, up to 120% so some refunds must be refused; null (one in three) refunds
  // all that is left, which returns cash once something was paid.
  {
    arbitrary: fc.record({
      type: fc.constant("refund" as const),
      p: fc.nat(),
      share: fc.option(fc.integer({ min: 1, max: 12_000 }), { freq: 3 }),
      evicted: evictedArb,
    }),
    weight: 2,
  },
  fc.record({ type: fc.constant("extend" as const), p: fc.nat(), n: fc.nat(), days: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ type: fc.constant("write_off" as const), p: fc.nat() }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const scenarioArb = fc.record({
  policy: policyArb,
  start: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }),
  purchases: fc.array(purchaseArb, { minLength: 1, maxLength: 3 }),
  outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 30 }),
  ops: fc.array(opArb, { maxLength: 40, size: "max" }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Runs one operation; a refund is also checked against what could be refunded just before it. */
async function play(customer: TestCustomer, op: Op): Promise<void> {
  const ids = customer.books.purchases().map((p) => p.id);
  const id = ids[op.type === "advance" ? 0 : op.p % ids.length] ?? "";
  const installments = customer.store.installments(id);
  const number = "n" in op ? (op.n % installments.length) + 1 : 1;
  switch (op.type) {
    case "advance":
      return customer.advance(op.hours * HOUR);
    case "capture":
      await customer.capture(id);
      return;
    case "cancel":
      await customer.cancel(id);
      return;
    case "pay":
      await customer.pay(id, number, op.evicted);
      return;
    case "payoff":
      await customer.payOff(id, op.evicted);
      return;
    case "extend":
    case "write_off": {
      const busy = customer.ctx.intents.open(id) !== undefined;
      const result = await (op.type === "extend" ? customer.extend(id, number, op.days) : customer.writeOff(id));
      // Neither changes a schedule whose payment is still at the processor.
      if (busy) expect(result).toMatchObject({ ok: false, code: "invalid_state" });
      return;
    }
    case "refund": {
      const row = customer.purchase(id);
      const left = refundable(installments);
      const amount = op.share === null ? undefined : Math.max(1, Math.floor((row.amount * op.share) / 10_000));
      const busy = customer.ctx.intents.open(id) !== undefined;
      const result = await customer.refund(id, amount, op.evicted);
      if (!row.captured_at || row.status === "cancelled") return;
      // Declined at checkout, it was never owed: there is nothing to refund.
      if (row.status === "declined") {
        expect(result).toMatchObject({ ok: false, code: "invalid_state" });
        return;
      }
      if (busy) {
        // A refund waits for the customer's payment in progress: that payment's quote must hold until it settles.
        expect(result).toMatchObject({ ok: false, code: "invalid_state" });
      } else if (amount !== undefined && amount > left) {
        expect(result).toMatchObject({ ok: false, code: "validation_error" });
      } else if (left > 0) {
        expect(result.ok).toBe(true);
      }
      return;
    }
  }
}

async function setUp(storage: DurableObjectStorage, scenario: Scenario): Promise<TestCustomer> {
  const customer = new TestCustomer(storage, scenario.policy, scenario.start, scenario.outcomes);
  for (const spec of scenario.purchases) await customer.create(spec);
  return customer;
}

async function playedOut(storage: DurableObjectStorage, scenario: Scenario): Promise<TestCustomer> {
  const customer = await setUp(storage, scenario);
  for (const op of scenario.ops) await play(customer, op);
  await customer.finish();
  return customer;
}

describe("the real commands and schedule over random sequences of operations, on the customer object's store", () => {
  it(
    "the ledger balances, receivables equal what is owed, refunds stay within the price and are paid out, and nothing is collected twice, after every step",
    async () => {
      await inObject((storage) =>
        fc.assert(
          fc.asyncProperty(scenarioArb, async (scenario) => {
            const customer = await setUp(storage, scenario);
            checkBooks(customer);
            for (const op of scenario.ops) {
              await play(customer, op);
              checkBooks(customer);
            }
            await customer.finish();
            checkBooks(customer);
          }),
          { numRuns: NUM_RUNS },
        ),
      );
    },
    TIMEOUT,
  );

  it(
    "played to the end, every installment is settled and nothing is left pending",
    async () => {
      const settled = new Set(["paid", "refunded", "cancelled", "failed_final", "written_off"]);
      await inObject((storage) =>
        fc.assert(
          fc.asyncProperty(scenarioArb, async (scenario) => {
            const customer = await playedOut(storage, scenario);
            expect(customer.ctx.schedule.nextAt()).toBeUndefined();
            expect(customer.books.intents().filter((i) => i.status === "pending")).toEqual([]);
            expect(customer.books.refunds().filter((r) => r.status === "pending")).toEqual([]);
            for (const row of customer.books.purchases()) {
              for (const i of customer.store.installments(row.id)) expect(settled.has(i.status)).toBe(true);
            }
          }),
          { numRuns: NUM_RUNS },
        ),
      );
    },
    TIMEOUT,
  );

  it(
    "replaying a sequence writes the same ledger and makes the same processor calls",
    async () => {
      await inObject((storage) =>
        fc.assert(
          fc.asyncProperty(scenarioArb, async (scenario) => {
            const books = async () => {
              const customer = await playedOut(storage, scenario);
              return { postings: customer.books.postings(), calls: customer.processor.calls() };
            };
            const [first, second] = [await books(), await books()];
            expect(second.postings).toEqual(first.postings);
            expect(second.calls).toEqual(first.calls);
          }),
          { numRuns: NUM_RUNS },
        ),
      );
    },
    TIMEOUT,
  );
});
