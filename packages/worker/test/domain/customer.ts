import type { Plan, PurchaseCreateInput } from "@tranche/shared";
import { type CollectionsPolicy, capturePosting, type Refusal, refuse } from "../../src/domain/collections";
import { planPurchase, scheduleAtCapture } from "../../src/domain/purchases/plan";
import { Collections } from "../../src/objects/customer/collections";
import type { IntentRow, RefundRow } from "../../src/objects/customer/collections-store";
import type { PaymentRequest, Planned } from "../../src/objects/customer/payments";
import { ledgerPurchase } from "../../src/objects/customer/purchase-state";
import { newPurchaseRows, type PurchaseRow } from "../../src/objects/customer/rows";
import { MemoryStore } from "./memory-store";
import { type Outcome, ScriptedProcessor } from "./scripted-processor";

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

/**
 * One customer's collections wired as the Durable Object wires them: the real `Collections`
 * and `Payments` over an in-memory store, a clock that moves only when advanced, and a scripted
 * processor. Each command does what `PurchaseCommands` asks of them (check, commit the planned
 * writes in one transaction, then let the processor calls settle); the command frame's
 * idempotency records and the projection to D1 are left out, as nothing here is about them.
 */
export class TestCustomer {
  readonly store = new MemoryStore();
  readonly processor: ScriptedProcessor;
  readonly collections: Collections;
  private time: Date;

  constructor(
    readonly policy: CollectionsPolicy,
    start: Date,
    outcomes: readonly Outcome[],
  ) {
    this.time = start;
    this.processor = new ScriptedProcessor(outcomes);
    this.collections = new Collections({
      store: this.store,
      clock: { now: () => this.time },
      processor: this.processor,
      policy,
      analytics: { money() {}, payout() {} },
      faults: { at() {} },
    });
    const card = { id: CARD, token: "tok_visa", brand: "visa", last4: "4242", created_at: start.toISOString() };
    this.store.transact(() => this.store.insertPaymentMethod(card));
  }

  get now(): Date {
    return this.time;
  }

  purchase(id: string): PurchaseRow {
    const row = this.store.purchase(id);
    if (!row) throw new Error(`no purchase ${id}`);
    return row;
  }

  /** An automatic capture starts the schedule at once and charges what falls due then, as checkout does. */
  async create(spec: PurchaseSpec): Promise<string> {
    const id = `pur_${this.store.purchases().length}`;
    const params: PurchaseCreateInput = { customer: "cus_test", payment_method: CARD, ...spec };
    // Credit is not what this suite is about: no limit ever refuses.
    const context = { creditLimits: { [spec.currency]: Number.MAX_SAFE_INTEGER }, outstandingPrincipal: 0 };
    const plan = planPurchase(params, { ...context, paymentMethodAttached: true, now: this.time });
    if (!plan.ok) throw new Error(plan.detail);
    const { row, installments } = newPurchaseRows(id, params, plan.schedule, this.time, "");
    this.store.transact(() => {
      this.store.insertPurchase(row, installments);
      if (row.captured_at) this.startSchedule(row);
    });
    if (row.captured_at) await this.collections.runDue(this.time, this.time);
    return id;
  }

  /** The provisional schedule is re-anchored at the capture. */
  async capture(id: string): Promise<Done> {
    const row = this.purchase(id);
    if (row.status !== "requires_capture") return refuse("invalid_state", `${id} is ${row.status}`);
    const schedule = scheduleAtCapture({ ...row, plan: JSON.parse(row.plan) }, this.time);
    const captured: PurchaseRow = {
      ...row,
      status: "active",
      captured_at: this.time.toISOString(),
      version: row.version + 1,
    };
    const installments = this.store
      .installments(id)
      .map((i, k) => ({ ...i, due_at: schedule.installments[k]?.due_at ?? i.due_at }));
    this.store.transact(() => {
      this.store.updatePurchase(captured, installments);
      this.startSchedule(captured);
    });
    await this.collections.runDue(this.time, this.time);
    return DONE;
  }

  cancel(id: string): Done {
    const row = this.purchase(id);
    if (row.status !== "requires_capture") return refuse("invalid_state", `${id} is ${row.status}`);
    const cancelled: PurchaseRow = { ...row, status: "cancelled", version: row.version + 1 };
    const installments = this.store.installments(id).map((i) => ({ ...i, status: "cancelled" as const }));
    this.store.transact(() => this.store.updatePurchase(cancelled, installments));
    return DONE;
  }

  /** As advance_clock: everything due by then runs, each at its own time, and the clock stays there. */
  async advance(ms: number): Promise<void> {
    const until = new Date(this.time.getTime() + ms);
    await this.collections.runDue(until, this.time);
    this.time = until;
  }

  /**
   * Without an amount, refunds everything still refundable. A command that is `evicted` dies
   * once its intent is committed, as the object can at any await: the alarm sends it instead.
   */
  async refund(id: string, amount?: number, evicted = false): Promise<Done<{ refund: RefundRow }>> {
    const row = this.purchase(id);
    if (!row.captured_at || row.status === "cancelled") return refuse("invalid_state", `${id} is ${row.status}`);
    const refundId = `re_${this.store.refunds().length}`;
    const planned = this.collections.payments.planRefund(row, refundId, amount === undefined ? {} : { amount });
    if ("ok" in planned) return planned;
    this.store.transact(planned.writes);
    const refund = evicted ? this.store.refund(refundId) : await this.collections.payments.settleRefund(refundId);
    if (!refund) throw new Error(`refund ${refundId} vanished`);
    return { ok: true, refund };
  }

  pay(id: string, number: number, evicted = false): Promise<Done<{ intent: IntentRow }>> {
    return this.payment(id, { type: "pay", number }, evicted);
  }

  payOff(id: string, evicted = false): Promise<Done<{ intent: IntentRow }>> {
    return this.payment(id, { type: "payoff" }, evicted);
  }

  extend(id: string, number: number, days: number): Done {
    return this.change(id, (row) => this.collections.planExtension(row, number, days));
  }

  writeOff(id: string): Done {
    return this.change(id, (row) => this.collections.planWriteOff(row));
  }

  /** Plays the customer to the end: uncaptured authorisations lapse, and everything pending runs. */
  async finish(): Promise<void> {
    for (const row of this.store.purchases()) this.cancel(row.id);
    for (let round = 0; this.collections.nextAt() !== undefined; round++) {
      if (round > 100) throw new Error("pending actions never drain");
      await this.advance(365 * DAY);
    }
  }

  private async payment(id: string, request: PaymentRequest, evicted: boolean): Promise<Done<{ intent: IntentRow }>> {
    const row = this.payable(id);
    if ("ok" in row) return row;
    const intentId = `pay_${this.store.intents().length}`;
    const planned = this.collections.payments.planPayment(row, intentId, request);
    if ("ok" in planned) return planned;
    this.store.transact(planned.writes);
    const intent = evicted ? this.store.intent(intentId) : await this.collections.payments.settle(intentId);
    if (!intent) throw new Error(`intent ${intentId} vanished`);
    return { ok: true, intent };
  }

  private change(id: string, plan: (row: PurchaseRow) => Refusal | Planned): Done {
    const row = this.payable(id);
    if ("ok" in row) return row;
    const planned = plan(row);
    if ("ok" in planned) return planned;
    this.store.transact(planned.writes);
    return DONE;
  }

  /** What `PurchaseCommands.change` lets through to the rules: a captured purchase with something left to pay. */
  private payable(id: string): PurchaseRow | Refusal {
    const row = this.purchase(id);
    if (!row.captured_at || row.status === "cancelled" || row.status === "refunded") {
      return refuse("invalid_state", `${id} is ${row.status}`);
    }
    return row;
  }

  /** Capture: the purchase becomes owed and its due charges and reminders are planned, in one transaction. */
  private startSchedule(row: PurchaseRow): void {
    const at = this.time.toISOString();
    this.store.post(capturePosting(ledgerPurchase(row)), at);
    this.collections.plan(row.id, at);
  }
}
