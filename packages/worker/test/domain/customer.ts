import { env, runInDurableObject } from "cloudflare:test";
import type { Plan, PurchaseCreateInput } from "@tranche/shared";
import type { CollectionsPolicy, Refusal } from "../../src/domain/collections";
import { planPurchase } from "../../src/domain/purchases/plan";
import { cancel } from "../../src/objects/customer/commands/cancel";
import { capture, startSchedule } from "../../src/objects/customer/commands/capture";
import type { CommandContext, Decision } from "../../src/objects/customer/commands/decision";
import { extend } from "../../src/objects/customer/commands/extend";
import { payInstallment } from "../../src/objects/customer/commands/pay-installment";
import { payoff } from "../../src/objects/customer/commands/payoff";
import { refund } from "../../src/objects/customer/commands/refund";
import { resolveRecorded } from "../../src/objects/customer/commands/resume";
import { writeOff } from "../../src/objects/customer/commands/write-off";
import { newHold, saveHold } from "../../src/objects/customer/holds/plan";
import { Intents } from "../../src/objects/customer/intents/intents";
import { ScheduleRunner } from "../../src/objects/customer/schedule/runner";
import { newPurchaseRows } from "../../src/objects/customer/storage/api-objects";
import type { CustomerRow, IntentRow, PurchaseRow, RefundRow } from "../../src/objects/customer/storage/rows";
import { type Outcome, ScriptedProcessor } from "./scripted-processor";
import { Books, transactionsOnly } from "./store";

export interface PurchaseSpec {
  amount: number;
  currency: string;
  plan: Plan;
  capture: "automatic" | "manual";
}

export type Done<T = object> = ({ ok: true } & T) | Refusal;

const CARD = "pm_card";
const DAY = 86_400_000;
const DONE = { ok: true } as const;

/** Runs `body` on a fresh customer object's own storage, where a test customer is held. */
export function inObject<T>(body: (storage: DurableObjectStorage) => Promise<T>): Promise<T> {
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId());
  return runInDurableObject(stub, (_instance, state) => body(state.storage));
}

/** A test's body, run as `inObject` does. */
export const inCustomerObject =
  (body: (storage: DurableObjectStorage) => Promise<void>): (() => Promise<void>) =>
  () =>
    inObject(body);

/**
 * One customer's commands and schedule wired as the Durable Object wires them: the real
 * commands, intents and schedule over the object's real store, a clock that moves only when
 * advanced, and a scripted processor. Each command is carried out as the command frame does it
 * (decide, commit the writes in one transaction, resolve the intent); the frame's idempotency
 * records and the projection to D1 are left out, as nothing here is about them. Purchase, refund
 * and payment ids count up, so that a replayed sequence writes the same books.
 */
export class TestCustomer {
  readonly processor: ScriptedProcessor;
  readonly ctx: CommandContext;
  readonly books: Books;
  private readonly customer: CustomerRow;
  private time: Date;

  constructor(storage: DurableObjectStorage, policy: CollectionsPolicy, start: Date, outcomes: readonly Outcome[]) {
    this.time = start;
    this.processor = new ScriptedProcessor(outcomes);
    const store = transactionsOnly(storage);
    const base = {
      store,
      clock: { now: () => this.time },
      processor: this.processor,
      policy,
      money: { money() {}, payout() {} },
      faults: { at() {} },
    };
    const intents = new Intents(base);
    this.ctx = { ...base, intents, schedule: new ScheduleRunner(base, intents) };
    this.books = new Books(storage.sql);
    const at = start.toISOString();
    this.customer = {
      ...{ id: "cus_test", merchant_id: "mer_test", livemode: 0, email: null, name: null },
      ...{ credit_limits: "{}", metadata: "{}", created_at: at, version: 1 },
      ...{ default_payment_method: null, redacted_at: null },
    };
    const card = { id: CARD, token: "tok_visa", brand: "visa", last4: "4242", created_at: at };
    // The customer row stays out of the store: without it the events keep no object snapshot,
    // which is the object's concern (events.test.ts), not the rules'.
    store.transact(() => store.insertPaymentMethod(card));
  }

  get store() {
    return this.ctx.store;
  }

  get policy(): CollectionsPolicy {
    return this.ctx.policy;
  }

  get now(): Date {
    return this.time;
  }

  purchase(id: string): PurchaseRow {
    const row = this.store.purchase(id);
    if (!row) throw new Error(`no purchase ${id}`);
    return row;
  }

  /**
   * An automatic capture starts the schedule at once and charges what falls due then, as checkout
   * does; a manual one authorises what will fall due at capture (holds/).
   */
  async create(spec: PurchaseSpec): Promise<string> {
    const id = `pur_${this.books.purchases().length}`;
    const params: PurchaseCreateInput = { customer: this.customer.id, payment_method: CARD, ...spec };
    // Credit is not what this suite is about: no limit ever refuses.
    const context = { creditLimits: { [spec.currency]: Number.MAX_SAFE_INTEGER }, outstandingPrincipal: 0 };
    const plan = planPurchase(params, { ...context, paymentMethodAttached: true, now: this.time });
    if (!plan.ok) throw new Error(plan.detail);
    const { row, installments } = newPurchaseRows(id, params, plan.schedule, this.time, "");
    const hold = newHold(row, installments, this.policy);
    this.store.transact(() => {
      this.store.insertPurchase(row, installments);
      if (row.captured_at) startSchedule(this.ctx, row, row.captured_at);
      if (hold) saveHold(this.store, hold);
    });
    if (row.captured_at) await this.ctx.schedule.runDue(this.time, this.time);
    if (hold) await resolveRecorded(this.ctx, { kind: "hold", purchase: id }, this.customer);
    return id;
  }

  /** The provisional schedule is re-anchored at the capture. */
  capture(id: string): Promise<Done> {
    return this.carry(capture(this.ctx, this.purchase(id)));
  }

  cancel(id: string): Promise<Done> {
    return this.carry(cancel(this.ctx, this.customer, this.purchase(id)));
  }

  /** As advance_clock: everything due by then runs, each at its own time, and the clock stays there. */
  async advance(ms: number): Promise<void> {
    const until = new Date(this.time.getTime() + ms);
    await this.ctx.schedule.runDue(until, this.time);
    this.time = until;
  }

  /** As the object's alarm firing `ms` late: the clock moves first, then everything due runs at that one time. */
  async alarm(ms: number): Promise<void> {
    this.time = new Date(this.time.getTime() + ms);
    await this.ctx.schedule.runDue(this.time, this.time);
  }

  /**
   * Without an amount, refunds everything still refundable. A command that is `evicted` dies
   * once its intent is committed, as the object can at any await: the alarm sends it instead.
   */
  async refund(id: string, amount?: number, evicted = false): Promise<Done<{ refund: RefundRow }>> {
    const refundId = `re_${this.books.refunds().length}`;
    const params = amount === undefined ? {} : { amount };
    const done = await this.carry(refund(this.ctx, this.purchase(id), params, refundId), evicted);
    if (!done.ok) return done;
    const row = this.store.refund(refundId);
    if (!row) throw new Error(`refund ${refundId} vanished`);
    return { ok: true, refund: row };
  }

  pay(id: string, number: number, evicted = false): Promise<Done<{ intent: IntentRow }>> {
    return this.payment((intent) => payInstallment(this.ctx, this.purchase(id), number, intent), evicted);
  }

  payOff(id: string, evicted = false): Promise<Done<{ intent: IntentRow }>> {
    return this.payment((intent) => payoff(this.ctx, this.purchase(id), intent), evicted);
  }

  extend(id: string, number: number, days: number): Promise<Done> {
    return this.carry(extend(this.ctx, this.customer, this.purchase(id), { number, days }));
  }

  writeOff(id: string): Promise<Done> {
    return this.carry(writeOff(this.ctx, this.customer, this.purchase(id)));
  }

  /** Plays the customer to the end: uncaptured authorisations lapse, and everything pending runs. */
  async finish(): Promise<void> {
    for (const row of this.books.purchases()) await this.cancel(row.id);
    for (let round = 0; this.ctx.schedule.nextAt() !== undefined; round++) {
      if (round > 100) throw new Error("pending actions never drain");
      await this.advance(365 * DAY);
    }
  }

  private async payment(
    decide: (intentId: string) => Decision<unknown>,
    evicted: boolean,
  ): Promise<Done<{ intent: IntentRow }>> {
    const intentId = `pay_${this.books.intents().length}`;
    const done = await this.carry(decide(intentId), evicted);
    if (!done.ok) return done;
    const intent = this.store.intent(intentId);
    if (!intent) throw new Error(`intent ${intentId} vanished`);
    return { ok: true, intent };
  }

  /** What the command frame does with a decision, but for the idempotency record and the projection. */
  private async carry(decision: Decision<unknown>, evicted = false): Promise<Done> {
    if ("ok" in decision) return decision;
    this.store.transact(decision.writes);
    if ("resume" in decision && !evicted) await resolveRecorded(this.ctx, decision.resume, this.customer);
    return DONE;
  }
}
