import { DurableObject } from "cloudflare:workers";
import type { Customer, PaymentMethod, Purchase, Refund, TestClock } from "@tranche/shared";
import { modeOf } from "../../analytics/points";
import { analyticsSink } from "../../analytics/sink";
import { newId } from "../../lib/ids";
import { logger } from "../../lib/log";
import { tagInvocation } from "../../lib/sentry";
import { inTrace, startSpan } from "../../lib/trace";
import { processorFor } from "../../processor/config";
import type { PaymentProcessor } from "../../processor/port";
import { cardForTestToken } from "../../processor/test-tokens";
import { buildStatement, type StatementLedgerLine } from "../../reports/rules/statement";
import type { EventQueue } from "../../webhooks/event-batch";
import { reportAlarm } from "../alarm-report";
import { AfterCommit } from "./after-commit";
import { type AwaitPoints, type Clock, Collections } from "./collections";
import type {
  AdvanceClockCommand,
  AttachPaymentMethodCommand,
  Caller,
  CommandResult,
  CreateCustomerCommand,
  CreatePurchaseCommand,
  CustomerPaymentCommand,
  Json,
  PurchaseCommand,
  RefundCommand,
} from "./commands";
import { fail, invalid, ok, toJson } from "./commands";
import { CommandFrame } from "./frame";
import { moneyEvents } from "./money";
import { Outbox } from "./outbox";
import { collectionsPolicy } from "./policy-config";
import { PurchaseCommands } from "./purchase-commands";
import {
  type CustomerRow,
  type PaymentMethodRow,
  type PurchaseRow,
  toCustomer,
  toPaymentMethod,
  toPurchase,
} from "./rows";
import { SqlSimulatorStore } from "./simulator-store";
import { CustomerStore } from "./store";
import { Upkeep } from "./upkeep";

/**
 * One object per customer: the only writer of that customer's money. This class is its RPC
 * surface; each command runs in the frame (frame.ts), the store holds the SQL (store.ts), the
 * schedule and payments are `Collections`, and the rules are pure functions in `domain/`.
 */
export class CustomerObject extends DurableObject<Env> {
  /** Where a test makes this object die mid-command (test/fault-injection.test.ts); nothing in production. */
  readonly faults: AwaitPoints = { at: () => {} };
  /** Where copied events go on to the webhooks; a test (test/webhook-events-queue.test.ts) swaps it to watch or fail the sends. */
  webhookEvents: EventQueue = this.env.WEBHOOK_EVENTS;
  private readonly outbox: Outbox = new Outbox(this.ctx.storage.sql, () => this.store.ready);
  private readonly afterCommit = new AfterCommit();
  private readonly store: CustomerStore = new CustomerStore(this.ctx.storage, this.outbox, this.afterCommit);
  /** The customer's time: the test clock once one was advanced, the real time otherwise. */
  private readonly clock: Clock = {
    now: () => {
      const frozen = this.store.frozenAt();
      return frozen ? new Date(frozen) : new Date();
    },
  };
  private readonly log = logger;
  /** Analytics points; local writes outlive the command through the object's waitUntil. */
  private readonly analytics = analyticsSink(this.env, this.ctx);
  private readonly money = moneyEvents({
    customer: () => this.store.customer(),
    analytics: this.analytics,
    log: this.log,
    afterCommit: this.afterCommit,
  });
  /** The customer's mode's processor (processor/config.ts), chosen at its first use. */
  private chosenProcessor: PaymentProcessor | undefined;
  private readonly collections = new Collections({
    store: this.store,
    clock: this.clock,
    processor: {
      charge: (request) => this.processor().charge(request),
      refund: (request) => this.processor().refund(request),
    },
    policy: collectionsPolicy(this.env),
    analytics: this.money,
    faults: { at: (point) => this.faults.at(point) },
  });
  private readonly frame = new CommandFrame(this.store, this.ctx.storage, this.clock, {
    beforeWrites: () => this.outbox.settle(),
    // Same turn as the transaction, no await between: the alarm commits atomically with it.
    afterCommit: () => void this.upkeep.armAlarm(),
  });
  private readonly purchases = new PurchaseCommands({
    store: this.store,
    frame: this.frame,
    collections: this.collections,
    clock: this.clock,
    analytics: this.money,
    settle: (fresh) => this.upkeep.settle(fresh),
  });
  private readonly upkeep: Upkeep = new Upkeep({
    store: this.store,
    outbox: this.outbox,
    collections: this.collections,
    storage: this.ctx.storage,
    db: this.env.DB,
    webhookEvents: () => this.webhookEvents,
    faults: this.faults,
    log: this.log,
    analytics: this.analytics,
  });

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      if (this.store.ready) this.store.migrate();
    });
  }

  async createCustomer(cmd: CreateCustomerCommand): Promise<CommandResult<Customer>> {
    this.store.migrate();
    const recorded = this.frame.recorded(cmd.idempotency);
    // Only a retry of the create that made this customer can find one here.
    if (this.store.customer()) {
      if (recorded && "result" in recorded) return recorded.result as CommandResult<Customer>;
      return invalid("id", "This customer already exists.");
    }
    const p = cmd.params;
    const row: CustomerRow = {
      id: cmd.customerId,
      merchant_id: cmd.caller.merchantId,
      livemode: cmd.caller.livemode ? 1 : 0,
      email: p.email ?? null,
      name: p.name ?? null,
      credit_limits: JSON.stringify(normaliseLimits(p.credit_limits ?? {})),
      metadata: JSON.stringify(p.metadata ?? {}),
      created_at: this.clock.now().toISOString(),
      version: 1,
    };
    const result = ok(toCustomer(row));
    this.frame.commit(
      cmd.idempotency,
      () => this.store.insertCustomer(row),
      () => ({ result }),
    );
    await this.upkeep.settle();
    return result;
  }

  async getCustomer(caller: Caller): Promise<Customer | null> {
    const c = this.ownedCustomer(caller);
    return c ? toCustomer(c) : null;
  }

  async attachPaymentMethod(cmd: AttachPaymentMethodCommand): Promise<CommandResult<PaymentMethod>> {
    return this.command(cmd, "No such customer.", async (customer) => {
      const card = cardForTestToken(cmd.token);
      if (!card) {
        return invalid("token", `Unknown payment token '${cmd.token}'. See the test tokens in the docs.`);
      }
      const row: PaymentMethodRow = {
        id: newId("pm"),
        token: cmd.token,
        ...card,
        created_at: this.clock.now().toISOString(),
      };
      const result = ok(toPaymentMethod(row, customer));
      this.frame.commit(
        cmd.idempotency,
        () => this.store.insertPaymentMethod(row),
        () => ({ result }),
      );
      return result;
    });
  }

  async listPaymentMethods(caller: Caller): Promise<PaymentMethod[] | null> {
    const customer = this.ownedCustomer(caller);
    return customer ? this.store.paymentMethods().map((r) => toPaymentMethod(r, customer)) : null;
  }

  async createPurchase(cmd: CreatePurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    const notFound = `No such customer: '${cmd.params.customer}'.`;
    return this.command(cmd, notFound, (customer) => this.purchases.create(cmd, customer));
  }

  async capturePurchase(cmd: PurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.onPurchase(cmd, (customer, row) => this.purchases.capture(cmd, customer, row));
  }

  async cancelPurchase(cmd: PurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.onPurchase(cmd, (customer, row) => this.purchases.cancel(cmd, customer, row));
  }

  async refundPurchase(cmd: RefundCommand): Promise<CommandResult<Json<Refund>>> {
    return this.onPurchase(cmd, (_, row) => this.purchases.refund(cmd, row));
  }

  async customerPayment(cmd: CustomerPaymentCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.onPurchase(cmd, (customer, row) => this.purchases.change(cmd, customer, row));
  }

  /** The customer's statement over [from, to), from their own ledger, so it is always current. */
  async statement(caller: Caller, range: { from: string; to: string }, currency: string | undefined) {
    if (!this.ownedCustomer(caller)) return null;
    return buildStatement(this.store.ledgerBefore<StatementLedgerLine>(range.to), range, currency);
  }

  async getPurchase(caller: Caller, purchaseId: string): Promise<Purchase | null> {
    const customer = this.ownedCustomer(caller);
    const row = customer && this.store.purchase(purchaseId);
    return row ? toPurchase(row, this.store.installments(purchaseId), customer) : null;
  }

  /**
   * The alarm runs every action and intent that has fallen due and retries projections D1
   * missed. A customer on a test clock runs them only when the clock is advanced.
   */
  override async alarm(): Promise<void> {
    if (!this.store.ready) return;
    const startedAt = Date.now();
    // A run is its own trace; each charge it makes logs its purchase's originating trace too.
    const { traceId } = startSpan(undefined);
    const customer = this.store.customer();
    tagInvocation(this.env, { trace_id: traceId, customer_id: customer?.id, merchant_id: customer?.merchant_id });
    const frozen = this.store.frozenAt() !== undefined;
    const next = frozen ? undefined : this.collections.nextAt();
    this.store.transact(() => {
      this.outbox.settle();
      this.frame.prune();
    });
    const now = this.clock.now();
    const ran = frozen ? [] : await this.collections.runDue(now, now);
    await this.upkeep.settle();
    this.outbox.settle();
    reportAlarm(
      { log: this.log, analytics: this.analytics },
      {
        object: "customer",
        merchantId: customer?.merchant_id,
        mode: customer && modeOf(customer.livemode === 1),
        traceId,
        startedAt,
        dueAt: next === undefined ? undefined : Date.parse(next),
        fields: { customer_id: customer?.id, ran },
      },
    );
  }

  /**
   * Test mode: moves this customer's clock to `to` and runs everything due by then, in order,
   * each at its own time, exactly as the alarm would. From then on the customer's time is frozen
   * at the clock and only moves when advanced again.
   */
  async advanceClock(cmd: AdvanceClockCommand): Promise<CommandResult<Json<TestClock>>> {
    return this.command(cmd, "No such customer.", async (customer) => {
      if (cmd.caller.livemode)
        return invalid("header.Authorization", "Test clocks exist in test mode only: use a sk_test_ key.");
      const from = this.clock.now();
      const until = new Date(cmd.to);
      if (until.getTime() < from.getTime()) {
        return invalid("to", `The clock is at ${from.toISOString()}; it only moves forward.`);
      }
      // Interrupted, a retry runs what is left: the clock moves only once everything due has run.
      const ran = await this.collections.runDue(until, from);
      const frozen = until.toISOString();
      const result = ok(toJson<TestClock>({ object: "test_clock", customer: customer.id, frozen_time: frozen, ran }));
      this.frame.commit(
        cmd.idempotency,
        () => this.store.freezeAt(frozen),
        () => ({ result }),
      );
      await this.upkeep.settle();
      return result;
    });
  }

  /** The sweep's visit (sweep.ts): whatever D1 lacks is pushed again, and the alarm re-armed. */
  async repair(): Promise<{ reprojected: number }> {
    return this.upkeep.repair();
  }

  /**
   * The frame of every command on an existing customer: ownership (another merchant's customer is
   * not found), then one run per Idempotency-Key at a time, replaying a recorded result or
   * finishing a recorded intent; otherwise the command itself.
   */
  private command<T>(
    cmd: { caller: Caller; idempotency?: { key: string; fingerprint: string }; traceId?: string },
    notFound: string,
    body: (customer: CustomerRow) => Promise<CommandResult<T>>,
  ): Promise<CommandResult<T>> {
    return inTrace(cmd.traceId, () =>
      this.frame.once(cmd.idempotency, async () => {
        const customer = this.ownedCustomer(cmd.caller);
        if (!customer) return fail("not_found", notFound);
        const recorded = this.frame.recorded(cmd.idempotency);
        if (!recorded) return body(customer);
        if ("result" in recorded) {
          // The first run may have died before D1 had its writes: the merchant is about to read them.
          if (this.outbox.pending()) await this.upkeep.settle();
          return recorded.result as CommandResult<T>;
        }
        return (await this.purchases.resume(recorded.resume, cmd.idempotency, customer)) as CommandResult<T>;
      }),
    );
  }

  private onPurchase<T>(
    cmd: PurchaseCommand,
    body: (customer: CustomerRow, row: PurchaseRow) => Promise<CommandResult<T>>,
  ): Promise<CommandResult<T>> {
    const notFound = `No such purchase: '${cmd.purchaseId}'.`;
    return this.command(cmd, notFound, async (customer) => {
      const row = this.store.purchase(cmd.purchaseId);
      return row ? body(customer, row) : fail("not_found", notFound);
    });
  }

  /**
   * Live mode without a configured processor never gets this far (the API refuses its keys); should
   * the configuration be removed under a live customer, its due charges fail and the alarm retries.
   */
  private processor(): PaymentProcessor {
    const customer = this.store.customer();
    this.chosenProcessor ??=
      customer && processorFor(this.env, customer.livemode === 1, new SqlSimulatorStore(this.ctx.storage.sql));
    if (!this.chosenProcessor) throw new Error("no payment processor is configured for this customer's mode");
    return this.chosenProcessor;
  }

  /** The customer, if this object holds one and it belongs to the caller's merchant and mode. */
  private ownedCustomer(caller: Caller): CustomerRow | undefined {
    const c = this.store.customer();
    return c && c.merchant_id === caller.merchantId && c.livemode === (caller.livemode ? 1 : 0) ? c : undefined;
  }
}

function normaliseLimits(limits: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).map(([c, v]) => [c.toUpperCase(), v]));
}
