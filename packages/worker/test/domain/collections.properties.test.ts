import { type Plan, PlanSchema } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACCOUNTS,
  amountOwed,
  balance,
  type CollectionsPolicy,
  DEFAULT_POLICY,
  deriveStatus,
  lateFeeCap,
  majorToMinor,
  OWED,
  receivable,
  refundable,
  validatePolicy,
} from "../../src/domain/collections";
import { planParamsArb } from "../arbitraries";
import { CustomerModel, type Outcome, type PurchaseSpec } from "./model";

const HOUR = 3_600_000;
const NUM_RUNS = 250;

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

const opArb = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 40 * 24 }) }),
    weight: 5,
  },
  { arbitrary: fc.record({ type: fc.constant("capture" as const), p: fc.nat() }), weight: 2 },
  fc.record({ type: fc.constant("cancel" as const), p: fc.nat() }),
  fc.record({ type: fc.constant("pay" as const), p: fc.nat(), n: fc.nat() }),
  fc.record({ type: fc.constant("payoff" as const), p: fc.nat() }),
  // A share of the price in basis points, up to 120% so some refunds must be refused; null refunds all that is left.
  fc.record({
    type: fc.constant("refund" as const),
    p: fc.nat(),
    share: fc.option(fc.integer({ min: 1, max: 12_000 })),
  }),
  fc.record({ type: fc.constant("extend" as const), p: fc.nat(), n: fc.nat(), days: fc.integer({ min: 0, max: 20 }) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const scenarioArb = fc.record({
  policy: policyArb,
  start: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }),
  purchases: fc.array(purchaseArb, { minLength: 1, maxLength: 3 }),
  outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 30 }),
  ops: fc.array(opArb, { maxLength: 40 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Runs one operation; a refund is also checked against what could be refunded just before it. */
function play(model: CustomerModel, op: Op): void {
  const ids = [...model.held.keys()];
  const id = ids[("p" in op ? op.p : 0) % ids.length] ?? "";
  const held = model.held.get(id);
  if (!held) throw new Error("no purchase");
  const number = "n" in op ? (op.n % held.installments.length) + 1 : 1;
  switch (op.type) {
    case "advance":
      model.advance(op.hours * HOUR);
      break;
    case "capture":
      model.capture(id);
      break;
    case "cancel":
      model.cancel(id);
      break;
    case "pay":
      model.payInstallment(id, number);
      break;
    case "payoff":
      model.payOff(id);
      break;
    case "extend":
      model.extend(id, number, op.days);
      break;
    case "refund": {
      const left = refundable(held.installments);
      const amount = op.share === null ? left : Math.max(1, Math.floor((held.purchase.amount * op.share) / 10_000));
      const result = model.refund(id, amount);
      if (held.captured_at !== null && amount > left) expect(result).toMatchObject({ code: "exceeds_refundable" });
      if (held.captured_at !== null && amount <= left && left > 0) expect(result.ok).toBe(true);
      break;
    }
  }
}

function setUp(scenario: Scenario): CustomerModel {
  const model = new CustomerModel(scenario.policy, scenario.start, scenario.outcomes);
  scenario.purchases.forEach((spec, k) => {
    model.create(`pur_${k}`, spec);
  });
  return model;
}

/** Credit balances are negative; `0 - x` rather than `-x` so that nothing owed is 0, not -0. */
const credit = (amount: number) => 0 - amount;

/** The money rules, checked against the books after every step. */
function checkBooks(model: CustomerModel): void {
  for (const posting of model.postings) {
    expect(posting.lines.every((l) => Number.isSafeInteger(l.amount) && l.amount !== 0)).toBe(true);
    expect(posting.lines.reduce((s, l) => s + l.amount, 0)).toBe(0);
  }
  for (const [id, held] of model.held) {
    const { installments, purchase } = held;
    const owed = installments.filter((i) => OWED.has(i.status));
    const captured = held.captured_at !== null;
    expect(receivable(model.postings, id)).toBe(captured ? installments.reduce((s, i) => s + amountOwed(i), 0) : 0);
    expect(balance(model.postings, "unearned_interest", id)).toBe(
      captured ? credit(owed.reduce((s, i) => s + i.interest, 0)) : 0,
    );
    expect(balance(model.postings, "merchant_payable", id)).toBe(
      captured ? credit(purchase.amount - held.refunded) : 0,
    );
    expect(balance(model.postings, "customer_credit", id)).toBe(0);
    expect(held.refunded).toBeLessThanOrEqual(captured ? purchase.amount : 0);
    if (captured) expect(refundable(installments)).toBe(purchase.amount - held.refunded);
    const lateFees = installments.map((i) => i.late_fee);
    expect(lateFees.reduce((s, f) => s + f, 0)).toBeLessThanOrEqual(lateFeeCap(purchase, model.policy));
    expect(Math.max(...lateFees)).toBeLessThanOrEqual(
      majorToMinor(model.policy.late_fee.amount_major, purchase.currency),
    );
    for (const i of installments) {
      expect(i.amount).toBe(i.principal + i.interest);
      expect(Math.min(i.principal, i.interest, i.late_fee, i.extension_fees, i.cash_refunded)).toBeGreaterThanOrEqual(
        0,
      );
      expect(i.cash_refunded).toBeLessThanOrEqual(i.principal);
    }
    const status = deriveStatus(held, installments);
    expect(status === "delinquent").toBe(captured && installments.some((i) => i.status === "failed_final"));
    if (status === "completed" || status === "refunded") expect(receivable(model.postings, id)).toBe(0);
  }
  const currencies = new Set(model.postings.map((p) => p.currency));
  for (const currency of currencies) {
    const ledger = model.postings.filter((p) => p.currency === currency);
    expect(ACCOUNTS.reduce((s, account) => s + balance(ledger, account), 0)).toBe(0);
  }
  for (const times of model.collections.values()) expect(times).toBe(1);
}

describe("collections over random sequences of operations", () => {
  it("the ledger balances, receivables equal what is owed and refunds stay within the price, after every step", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const model = setUp(scenario);
        checkBooks(model);
        for (const op of scenario.ops) {
          play(model, op);
          checkBooks(model);
        }
        model.finish();
        checkBooks(model);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("played to the end, every installment is paid, refunded, cancelled or failed_final, and none was paid twice", () => {
    const terminal = new Set(["paid", "refunded", "cancelled", "failed_final"]);
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const model = setUp(scenario);
        for (const op of scenario.ops) play(model, op);
        model.finish();
        expect(model.pendingCount).toBe(0);
        for (const held of model.held.values()) {
          for (const i of held.installments) {
            expect(terminal.has(i.status)).toBe(true);
            const collected = model.collections.get(`${held.purchase.id}:${i.number}`) ?? 0;
            // Paid means collected exactly once; a fully cash-refunded installment was collected once too.
            if (i.status === "paid") expect(collected).toBe(1);
            expect(collected).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("the rules are pure: replaying a sequence writes the same ledger", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const books = () => {
          const model = setUp(scenario);
          for (const op of scenario.ops) play(model, op);
          model.finish();
          return model.postings;
        };
        expect(books()).toEqual(books());
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
