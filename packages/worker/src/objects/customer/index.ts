import { DurableObject } from "cloudflare:workers";
import type {
  Customer,
  DetachedPaymentMethod,
  List,
  PaymentMethod,
  Purchase,
  Refund,
  TestClock,
} from "@tranche/shared";
import { newId, ownedId } from "../../lib/ids";
import { toPage } from "../../lib/pagination";
import { buildStatement, type StatementLedgerLine, statementRange } from "../../reports/rules/statement";
import { advanceClock } from "./commands/advance-clock";
import { attachPaymentMethod } from "./commands/attach-payment-method";
import { cancel } from "./commands/cancel";
import { capture } from "./commands/capture";
import { createCustomer } from "./commands/create-customer";
import { createPurchase } from "./commands/create-purchase";
import { detachPaymentMethod } from "./commands/detach-payment-method";
import { extend } from "./commands/extend";
import type {
  AdvanceClockCommand,
  AttachPaymentMethodCommand,
  Caller,
  CommandResult,
  CreateCustomerCommand,
  CreatePurchaseCommand,
  CustomerPaymentCommand,
  DetachPaymentMethodCommand,
  Json,
  PurchaseCommand,
  RedactCustomerCommand,
  Redaction,
  RefundCommand,
  UpdateCustomerCommand,
} from "./commands/index";
import { payInstallment } from "./commands/pay-installment";
import { payoff } from "./commands/payoff";
import { redactCustomer } from "./commands/redact-customer";
import { refund } from "./commands/refund";
import { redactedRefusal, updateCustomer } from "./commands/update-customer";
import { writeOff } from "./commands/write-off";
import type { AwaitPoints, Clock } from "./context";
import { customerParts } from "./parts";
import { runAlarm } from "./schedule/alarm";
import { toCustomer, toPaymentMethod, toPurchase, toRefund } from "./storage/api-objects";
import type { ProjectionQueue } from "./storage/projection";

/**
 * One object per customer: the only writer of that customer's money. This class is its RPC
 * surface: each method hands one command (commands/) to the command frame (commands/frame.ts),
 * or one read to the store (storage/); the alarm runs the schedule (schedule/).
 */
export class CustomerObject extends DurableObject<Env> {
  /** Where a test makes this object die mid-command (test/fault-injection.test.ts); nothing in production. */
  readonly faults: AwaitPoints = { at: () => {} };
  /** Where what D1 lacks is handed over; a test (test/projection/) swaps it to watch or fail the sends. */
  projectionQueue: ProjectionQueue = this.env.PROJECTION;
  /** Real time, by which Idempotency-Key records expire; a test (test/idempotency-clock.test.ts) moves it on. */
  realTime: Clock = { now: () => new Date() };
  private readonly parts = customerParts(this.ctx, this.env, {
    faults: { at: (point) => this.faults.at(point) },
    projectionQueue: () => this.projectionQueue,
    realTime: { now: () => this.realTime.now() },
  });
  private readonly frame = this.parts.frame;
  private readonly use = this.parts.ctx;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      if (this.use.store.ready) this.use.store.migrate();
    });
  }

  createCustomer(cmd: CreateCustomerCommand): Promise<CommandResult<Customer>> {
    return createCustomer(this.use, this.frame, cmd);
  }

  async getCustomer(caller: Caller): Promise<Customer | null> {
    const c = this.frame.owned(caller);
    return c ? toCustomer(c) : null;
  }

  /** Name, email, metadata, credit limits, default card (commands/update-customer.ts). */
  updateCustomer(cmd: UpdateCustomerCommand): Promise<CommandResult<Customer>> {
    return this.frame.run(cmd, "No such customer.", (customer) => updateCustomer(this.use, cmd.params, customer));
  }

  /** Erases the customer's personal data here; the route scrubs the idempotency shards with the keys it returns. */
  redactCustomer(cmd: RedactCustomerCommand): Promise<CommandResult<Redaction>> {
    return this.frame.run(cmd, "No such customer.", (customer) => redactCustomer(this.use, customer));
  }

  attachPaymentMethod(cmd: AttachPaymentMethodCommand): Promise<CommandResult<PaymentMethod>> {
    return this.frame.run(cmd, "No such customer.", (customer) =>
      customer.redacted_at ? redactedRefusal(customer.id) : attachPaymentMethod(this.use, cmd.token, customer),
    );
  }

  detachPaymentMethod(cmd: DetachPaymentMethodCommand): Promise<CommandResult<DetachedPaymentMethod>> {
    return this.frame.run(cmd, "No such customer.", (customer) =>
      detachPaymentMethod(this.use, cmd.paymentMethodId, customer),
    );
  }

  async listPaymentMethods(caller: Caller): Promise<PaymentMethod[] | null> {
    const customer = this.frame.owned(caller);
    return customer ? this.use.store.paymentMethods().map((r) => toPaymentMethod(r, customer)) : null;
  }

  createPurchase(cmd: CreatePurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    const notFound = `No such customer: '${cmd.params.customer}'.`;
    return this.frame.run(cmd, notFound, (customer) =>
      customer.redacted_at ? redactedRefusal(customer.id) : createPurchase(this.use, cmd, customer),
    );
  }

  capturePurchase(cmd: PurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.frame.onPurchase(cmd, (_, purchase) => capture(this.use, purchase));
  }

  cancelPurchase(cmd: PurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.frame.onPurchase(cmd, (customer, purchase) => cancel(this.use, customer, purchase));
  }

  refundPurchase(cmd: RefundCommand): Promise<CommandResult<Json<Refund>>> {
    return this.frame.onPurchase(cmd, (customer, purchase) =>
      refund(this.use, purchase, cmd.params, ownedId("re", customer.id)),
    );
  }

  /** The customer pays an installment now or the plan off, or extends a due date; or an operator writes off. */
  customerPayment(cmd: CustomerPaymentCommand): Promise<CommandResult<Json<Purchase>>> {
    const op = cmd.operation;
    return this.frame.onPurchase(cmd, (customer, purchase) => {
      if (op.type === "pay") return payInstallment(this.use, purchase, op.number, newId("pay"));
      if (op.type === "payoff") return payoff(this.use, purchase, newId("pay"));
      if (op.type === "extend") return extend(this.use, customer, purchase, op);
      return writeOff(this.use, customer, purchase);
    });
  }

  /** The customer's statement over [from, to), from their own ledger, so it is always current; by default all of it. */
  async statement(caller: Caller, given: { from?: string; to?: string }, currency: string | undefined) {
    const customer = this.frame.owned(caller);
    if (!customer) return null;
    const range = statementRange(customer, given, this.use.clock.now());
    return { ...range, ...buildStatement(this.use.store.ledgerBefore<StatementLedgerLine>(range.to), range, currency) };
  }

  async getPurchase(caller: Caller, purchaseId: string): Promise<Purchase | null> {
    const customer = this.frame.owned(caller);
    const row = customer && this.use.store.purchase(purchaseId);
    const { store } = this.use;
    return row
      ? toPurchase(row, store.installments(purchaseId), customer, store.holds.of(purchaseId), store.history(purchaseId))
      : null;
  }

  async getRefund(caller: Caller, refundId: string): Promise<Refund | null> {
    const customer = this.frame.owned(caller);
    const row = customer && this.use.store.refund(refundId);
    const purchase = row && this.use.store.purchase(row.purchase_id);
    return customer && row && purchase ? toRefund(row, purchase, customer) : null;
  }

  /** A page of a purchase's refunds, newest first; null if the caller has no such purchase. */
  async listPurchaseRefunds(
    caller: Caller,
    purchaseId: string,
    page: { limit: number; starting_after?: string },
  ): Promise<List<Refund> | null> {
    const customer = this.frame.owned(caller);
    const purchase = customer && this.use.store.purchase(purchaseId);
    if (!customer || !purchase) return null;
    const rows = this.use.store.refundsOf(purchaseId, { limit: page.limit + 1, before: page.starting_after });
    return toPage(
      rows.map((r) => toRefund(r, purchase, customer)),
      page.limit,
    );
  }

  /** Runs the schedule: everything due, and projections D1 missed (schedule/alarm.ts). */
  override alarm(): Promise<void> {
    return runAlarm(this.parts);
  }

  /** Test mode: moves this customer's clock, running everything due by then (commands/advance-clock.ts). */
  advanceClock(cmd: AdvanceClockCommand): Promise<CommandResult<Json<TestClock>>> {
    return this.frame.run(cmd, "No such customer.", (customer) => advanceClock(this.use, cmd, customer));
  }

  /**
   * The sweep's visit (sweep.ts): whatever D1 lacks is pushed again, and the alarm re-armed. A move
   * between shards asks with `fresh` (the directory read past its cache).
   */
  repair(options: { fresh?: boolean } = {}): Promise<{ reprojected: number }> {
    return this.parts.readModel.repair(() => this.frame.catchUp(), options);
  }

  /** How far D1 is behind this customer (storage/read-model.ts): what the tests wait on before reading D1. */
  readModelLag(): Promise<{ missing: number; unsent: boolean }> {
    return this.parts.readModel.lag();
  }
}
