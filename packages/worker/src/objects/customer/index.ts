import { DurableObject } from "cloudflare:workers";
import type { Customer, PaymentMethod, Purchase, Refund, TestClock } from "@tranche/shared";
import { buildSchedule, PlanError } from "@tranche/shared";
import { moneyPoint } from "../../analytics/points";
import { analyticsSink } from "../../analytics/sink";
import { policyFromConfig } from "../../domain/collections/config";
import { OWED } from "../../domain/collections/installment";
import { capturePosting, type Posting } from "../../domain/collections/ledger";
import { type CollectionsPolicy, DEFAULT_POLICY } from "../../domain/collections/policy";
import { checkCredit, creditLimit } from "../../domain/credit";
import { buildStatement, type StatementLedgerLine } from "../../domain/reports/statement";
import { newId } from "../../lib/ids";
import { multiRowInserts } from "../../lib/sql";
import { processorFor } from "../../processor/config";
import type { PaymentProcessor } from "../../processor/port";
import { cardForTestToken } from "../../processor/test-tokens";
import { IDEMPOTENCY_TTL_MS } from "../idempotency";
import { Collections } from "./collections";
import type {
  AttachPaymentMethodCommand,
  Caller,
  CommandResult,
  CreateCustomerCommand,
  CreatePurchaseCommand,
  CustomerPaymentCommand,
  IdempotencyRef,
  PurchaseCommand,
  RefundCommand,
} from "./commands";
import { fail, type Json, NOT_RECORDED, ok, toJson } from "./commands";
import { logInstallment } from "./installment-log";
import { Outbox } from "./outbox";
import type { Projected } from "./projection";
import type { CustomerRow, InstallmentRow, PaymentMethodRow, PurchaseRow } from "./rows";
import { toCustomer, toPaymentMethod, toPurchase } from "./rows";
import { SqlSimulatorStore } from "./simulator-store";
import { MIGRATIONS } from "./storage-schema";

/** If a projection to D1 is lost (eviction, D1 error), the alarm retries it this much later. */
const PROJECTION_RETRY_MS = 5_000;

/**
 * One object per customer: the only writer of that customer's money. Each command
 * runs in one synchronous storage transaction, so two commands for one customer
 * never interleave, and the per-customer credit check is race-free.
 */
export class CustomerObject extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  /** Schema version applied; 0 while the object has never been written. */
  private applied = 0;
  /** The customer row, read once: only this object writes it. */
  private customer: CustomerRow | undefined;
  /** Money events for analytics; local writes outlive the command through the object's waitUntil. */
  private readonly analytics = analyticsSink(this.env, this.ctx);
  /** The schedule: due charges, retries, fees and reminders, through the processor of the customer's mode. */
  private readonly collections = new Collections(
    {
      sql: this.sql,
      transact: (writes) => this.ctx.storage.transactionSync(writes),
      post: (posting, at) => this.post(posting, at),
      touch: (purchaseId) => this.touch(purchaseId),
      purchaseRow: (id) => this.purchaseRow(id),
      paymentMethodToken: (id) =>
        this.sql.exec<{ token: string }>("SELECT token FROM payment_methods WHERE id = ?", id).toArray()[0]?.token,
      money: (purchase, ...event) => {
        const customer = this.customerRow();
        if (customer) this.analytics.write(moneyPoint(customer, purchase, ...event));
      },
    },
    {
      charge: (request) => this.processor().charge(request),
      refund: (request) => this.processor().refund(request),
    },
    collectionsPolicy(this.env),
  );
  /** The customer's mode's processor (processor/config.ts), chosen at its first use. */
  private chosenProcessor: PaymentProcessor | undefined;
  /** What D1 still lacks of this customer. */
  private readonly outbox = new Outbox(this.sql, () => this.applied > 0);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.applied = this.readSchemaVersion();
      if (this.applied > 0) this.migrate();
    });
  }

  async createCustomer(cmd: CreateCustomerCommand): Promise<CommandResult<Customer>> {
    this.migrate();
    const existing = this.customerRow();
    if (existing) {
      // Only a retry of the create that made this customer can land here.
      return this.replay<Customer>(cmd.idempotency) ?? fail("validation_error", "This customer already exists.");
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
      created_at: new Date().toISOString(),
      version: 1,
    };
    const result = ok(toCustomer(row));
    this.commit(cmd.idempotency, result, () => {
      insertRows(this.sql, "customer", [row]);
      this.outbox.enqueue("customer", row.id, row.version);
    });
    this.customer = row;
    await this.flushProjections();
    return result;
  }

  async getCustomer(caller: Caller): Promise<Customer | null> {
    const c = this.ownedCustomer(caller);
    return c ? toCustomer(c) : null;
  }

  async attachPaymentMethod(cmd: AttachPaymentMethodCommand): Promise<CommandResult<PaymentMethod>> {
    const customer = this.ownedCustomer(cmd.caller);
    if (!customer) return fail("not_found", "No such customer.");
    const replayed = this.replay<PaymentMethod>(cmd.idempotency);
    if (replayed) return replayed;

    const card = cardForTestToken(cmd.token);
    if (!card) {
      return fail("validation_error", `Unknown payment token '${cmd.token}'. See the test tokens in the docs.`);
    }
    const row: PaymentMethodRow = { id: newId("pm"), token: cmd.token, ...card, created_at: new Date().toISOString() };
    const result = ok(toPaymentMethod(row, customer));
    this.commit(cmd.idempotency, result, () => insertRows(this.sql, "payment_methods", [row]));
    return result;
  }

  async listPaymentMethods(caller: Caller): Promise<PaymentMethod[] | null> {
    const customer = this.ownedCustomer(caller);
    if (!customer) return null;
    return this.sql
      .exec<PaymentMethodRow & Record<string, SqlStorageValue>>("SELECT * FROM payment_methods ORDER BY id DESC")
      .toArray()
      .map((r) => toPaymentMethod(r, customer));
  }

  async createPurchase(cmd: CreatePurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    const customer = this.ownedCustomer(cmd.caller);
    if (!customer) return fail("not_found", `No such customer: '${cmd.params.customer}'.`);
    const replayed = this.replay<Json<Purchase>>(cmd.idempotency);
    if (replayed) return replayed;

    const result = this.planPurchase(cmd, customer);
    if (!result.ok) {
      this.commit(cmd.idempotency, result.failure, () => {});
      return result.failure;
    }
    const { row, installments, purchase } = result;
    const json = toJson(purchase);
    this.commit(cmd.idempotency, ok(json), () => {
      insertRows(this.sql, "purchases", [row]);
      insertRows(this.sql, "installments", installments);
      if (row.captured_at) this.startSchedule(purchase, row.captured_at);
      this.outbox.enqueue("purchase", row.id, row.version);
    });
    if (!row.captured_at) {
      await this.flushProjections({ value: purchase, json });
      return ok(json);
    }
    return ok(await this.chargeDueAtCapture(row.id, customer, cmd.idempotency));
  }

  /**
   * Charges what falls due at capture (the first part of pay-in-n, a pay-in-full purchase)
   * before answering, so the merchant learns at checkout whether the card paid. The charge
   * is already a stored action with the alarm set: if this object dies meanwhile, the alarm
   * charges it instead, under the same processor key.
   */
  private async chargeDueAtCapture(purchaseId: string, customer: CustomerRow, idem: IdempotencyRef | undefined) {
    const captured = this.purchaseRow(purchaseId);
    if (captured) this.analytics.write(moneyPoint(customer, captured, "capture", captured.amount));
    const now = this.now();
    await this.collections.runDue(now, now);
    const purchase = this.purchase(customer, purchaseId);
    if (!purchase) throw new Error(`purchase ${purchaseId} vanished`);
    const json = toJson(purchase);
    if (idem) {
      // A retry replays the answer the merchant got, not the snapshot from before the charge.
      this.sql.exec("UPDATE commands SET result = ? WHERE idempotency_key = ?", JSON.stringify(ok(json)), idem.key);
    }
    await this.flushProjections({ value: purchase, json });
    await this.armAlarm();
    return json;
  }

  /** Starts the schedule of a manually captured purchase: its due dates count from now. */
  async capturePurchase(cmd: PurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.changePurchase(cmd, "capture", (row, customer) => {
      if (row.status !== "requires_capture") {
        return fail(
          "invalid_state",
          `Purchase ${row.id} is ${row.status}; only a purchase awaiting capture can be captured.`,
        );
      }
      const now = this.now();
      const schedule = buildSchedule({
        amount: row.amount,
        currency: row.currency,
        plan: JSON.parse(row.plan),
        anchor: now,
      });
      const captured: PurchaseRow = {
        ...row,
        status: "active",
        captured_at: now.toISOString(),
        version: row.version + 1,
      };
      const installments = this.installmentRows(row.id).map((i, k) => ({
        ...i,
        due_at: schedule.installments[k]?.due_at ?? i.due_at,
      }));
      return {
        row: captured,
        installments,
        writes: (purchase) => this.startSchedule(purchase, now.toISOString()),
        customer,
      };
    });
  }

  /**
   * The sweep's visit: re-queues every object D1 lacks or holds at an older version, pushes them,
   * and re-arms the alarm, so nothing stays missing from the read model or unscheduled.
   */
  async repair(): Promise<{ reprojected: number }> {
    const customer = this.customerRow();
    if (!customer) return { reprojected: 0 };
    const projected = new Map(
      (
        await this.env.DB.prepare("SELECT id, version FROM purchases WHERE customer_id = ?")
          .bind(customer.id)
          .all<{ id: string; version: number }>()
      ).results.map((r) => [r.id, r.version]),
    );
    const stale = this.sql
      .exec<{ id: string; version: number }>("SELECT id, version FROM purchases")
      .toArray()
      .filter((p) => (projected.get(p.id) ?? 0) < p.version);
    const customerProjected = await this.env.DB.prepare("SELECT version FROM customers WHERE id = ?")
      .bind(customer.id)
      .first<{ version: number }>();
    const customerStale = (customerProjected?.version ?? 0) < customer.version;
    this.ctx.storage.transactionSync(() => {
      for (const p of stale) this.outbox.enqueue("purchase", p.id, p.version);
      if (customerStale) this.outbox.enqueue("customer", customer.id, customer.version);
    });
    await this.flushProjections();
    this.outbox.settle();
    await this.armAlarm();
    return { reprojected: stale.length + (customerStale ? 1 : 0) };
  }

  /** Refunds part or all of a captured purchase; see `Collections.refund` for the rules. */
  async refundPurchase(cmd: RefundCommand): Promise<CommandResult<Json<Refund>>> {
    const target = this.target<Json<Refund>>(cmd);
    if ("ok" in target) return target;
    const { purchase } = target;
    if (!purchase.captured_at || purchase.status === "cancelled") {
      const failure = fail<Json<Refund>>(
        "invalid_state",
        `Purchase ${purchase.id} is ${purchase.status}; only a captured purchase can be refunded (cancel an uncaptured one).`,
      );
      this.commit(cmd.idempotency, failure, () => {});
      return failure;
    }
    const outcome = await this.collections.refund(purchase, newId("re"), cmd.params, this.now());
    const result = outcome.ok ? ok(toJson(outcome.refund)) : fail<Json<Refund>>(outcome.code, outcome.detail);
    this.commit(cmd.idempotency, result, () => {});
    await this.flushProjections();
    return result;
  }

  /** The customer pays an installment early, pays the plan off, or extends a due date. */
  async customerPayment(cmd: CustomerPaymentCommand): Promise<CommandResult<Json<Purchase>>> {
    const target = this.target<Json<Purchase>>(cmd);
    if ("ok" in target) return target;
    const { customer, purchase } = target;
    const op = cmd.operation;
    const now = this.now();
    const refused =
      !purchase.captured_at || purchase.status === "cancelled" || purchase.status === "refunded"
        ? { code: "invalid_state" as const, detail: `Purchase ${purchase.id} is ${purchase.status}: nothing to pay.` }
        : op.type === "pay"
          ? await this.collections.payEarly(purchase, op.number, now)
          : op.type === "payoff"
            ? await this.collections.payoff(purchase, now)
            : op.type === "write_off"
              ? this.collections.writeOff(purchase, now)
              : this.collections.extend(purchase, op.number, op.days, now);
    // Read again: the operation changed the purchase's row, not just its installments.
    const after = this.purchase(customer, purchase.id);
    if (!after) throw new Error(`purchase ${purchase.id} vanished`);
    const result: CommandResult<Json<Purchase>> = refused ? fail(refused.code, refused.detail) : ok(toJson(after));
    this.commit(cmd.idempotency, result, () => {});
    await this.flushProjections();
    return result;
  }

  /** Releases an uncaptured purchase: nothing was owed, so nothing is posted. */
  async cancelPurchase(cmd: PurchaseCommand): Promise<CommandResult<Json<Purchase>>> {
    return this.changePurchase(cmd, "cancel", (row, customer) => {
      if (row.status !== "requires_capture") {
        return fail(
          "invalid_state",
          `Purchase ${row.id} is ${row.status}; only an uncaptured purchase can be cancelled (refund a captured one).`,
        );
      }
      const installments = this.installmentRows(row.id).map((i) => ({ ...i, status: "cancelled" as const }));
      return { row: { ...row, status: "cancelled", version: row.version + 1 }, installments, customer };
    });
  }

  /**
   * The frame of every command that changes one purchase: ownership, replay, the change
   * itself (decided by `decide` from current state, writing nothing), then one transaction
   * with the new rows, the result under the key and the outbox, then the projection.
   */
  private async changePurchase(
    cmd: PurchaseCommand,
    what: string,
    decide: (
      row: PurchaseRow,
      customer: CustomerRow,
    ) =>
      | CommandResult<Json<Purchase>>
      | { row: PurchaseRow; installments: InstallmentRow[]; customer: CustomerRow; writes?: (p: Purchase) => void },
  ): Promise<CommandResult<Json<Purchase>>> {
    const target = this.target<Json<Purchase>>(cmd);
    if ("ok" in target) return target;
    const { customer } = target;

    const change = decide(target.purchase, customer);
    if ("ok" in change) {
      this.commit(cmd.idempotency, change, () => {});
      return change;
    }
    const purchase = toPurchase(change.row, change.installments, customer);
    const json = toJson(purchase);
    this.commit(cmd.idempotency, ok(json), () => {
      this.sql.exec(
        "UPDATE purchases SET status = ?, captured_at = ?, version = ? WHERE id = ?",
        change.row.status,
        change.row.captured_at,
        change.row.version,
        change.row.id,
      );
      for (const i of change.installments) {
        this.sql.exec(
          "UPDATE installments SET due_at = ?, status = ? WHERE purchase_id = ? AND number = ?",
          i.due_at,
          i.status,
          i.purchase_id,
          i.number,
        );
      }
      change.writes?.(purchase);
      this.outbox.enqueue("purchase", change.row.id, change.row.version);
    });
    console.log(
      JSON.stringify({ level: "info", msg: `purchase ${what}`, purchase_id: change.row.id, status: change.row.status }),
    );
    if (change.row.status === "active")
      return ok(await this.chargeDueAtCapture(change.row.id, customer, cmd.idempotency));
    await this.flushProjections({ value: purchase, json });
    return ok(json);
  }

  /**
   * The purchase a command names and its customer, if the caller owns them; otherwise the
   * answer to give instead: a 404, or the first result of a retried Idempotency-Key.
   */
  private target<T>(cmd: PurchaseCommand): { customer: CustomerRow; purchase: PurchaseRow } | CommandResult<T> {
    const customer = this.ownedCustomer(cmd.caller);
    const purchase = customer && this.purchaseRow(cmd.purchaseId);
    if (!customer || !purchase) return fail("not_found", `No such purchase: '${cmd.purchaseId}'.`);
    return this.replay<T>(cmd.idempotency) ?? { customer, purchase };
  }

  /** The customer's statement over [from, to), from their own ledger, so it is always current. */
  async statement(caller: Caller, range: { from: string; to: string }, currency: string | undefined) {
    if (!this.ownedCustomer(caller)) return null;
    const lines = this.sql
      .exec<StatementLedgerLine & Record<string, SqlStorageValue>>(
        "SELECT posting, event, purchase_id, currency, account, amount, created_at FROM ledger WHERE created_at < ? ORDER BY id",
        range.to,
      )
      .toArray();
    return buildStatement(lines, range, currency);
  }

  async getPurchase(caller: Caller, purchaseId: string): Promise<Purchase | null> {
    const customer = this.ownedCustomer(caller);
    return customer ? this.purchase(customer, purchaseId) : null;
  }

  /**
   * The alarm runs every action that has fallen due and retries projections D1 missed. A
   * customer on a test clock runs actions only when the clock is advanced.
   */
  override async alarm(): Promise<void> {
    this.outbox.settle();
    if (!this.frozenAt()) await this.collections.runDue(new Date(), new Date());
    await this.flushProjections();
    this.outbox.settle();
    await this.armAlarm();
  }

  /**
   * Test mode: moves this customer's clock to `to` and runs every action due by then, in order,
   * each at its own time, exactly as the alarm would. From then on the customer's time is frozen
   * at the clock and only moves when advanced again.
   */
  async advanceClock(caller: Caller, to: string): Promise<CommandResult<Json<TestClock>>> {
    const customer = this.ownedCustomer(caller);
    if (!customer) return fail("not_found", "No such customer.");
    if (caller.livemode) return fail("validation_error", "Test clocks exist in test mode only.");
    const from = this.now();
    const until = new Date(to);
    if (until.getTime() < from.getTime()) {
      return fail("validation_error", `The clock is at ${from.toISOString()}; it only moves forward.`);
    }
    const ran = await this.collections.runDue(until, from);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM test_clock");
      this.sql.exec("INSERT INTO test_clock (frozen_at) VALUES (?)", until.toISOString());
    });
    await this.flushProjections();
    await this.armAlarm();
    return ok(
      toJson<TestClock>({ object: "test_clock", customer: customer.id, frozen_time: until.toISOString(), ran }),
    );
  }

  /**
   * Pushes every object D1 has not acknowledged. Safe to repeat: D1 keeps the highest version.
   * `fresh` is a purchase the caller has just written, passed to spare reading it back.
   */
  async flushProjections(fresh?: Projected<Purchase>): Promise<void> {
    const customer = this.customerRow();
    if (!customer) return;
    const current = (id: string): Projected<Purchase> | null => {
      if (fresh?.value.id === id) return fresh;
      const purchase = this.purchase(customer, id);
      return purchase && { value: purchase, json: toJson(purchase) };
    };
    try {
      await this.outbox.push(this.env.DB, customer, current);
    } catch (error) {
      console.error(JSON.stringify({ level: "warn", msg: "projection failed, will retry", error: String(error) }));
      await this.armAlarm();
    }
  }

  /** Validates a purchase against the customer's state and builds its rows, writing nothing. */
  private planPurchase(
    cmd: CreatePurchaseCommand,
    customer: CustomerRow,
  ):
    | { ok: true; row: PurchaseRow; installments: InstallmentRow[]; purchase: Purchase }
    | { ok: false; failure: CommandResult<Json<Purchase>> } {
    const p = cmd.params;
    const refuse = (failure: CommandResult<Json<Purchase>>) => ({ ok: false as const, failure });
    const pm = this.sql.exec("SELECT id FROM payment_methods WHERE id = ?", p.payment_method).toArray()[0];
    if (!pm) {
      return refuse(
        fail("payment_method_not_found", `Payment method '${p.payment_method}' is not attached to this customer.`),
      );
    }

    const now = this.now();
    let schedule: ReturnType<typeof buildSchedule>;
    try {
      schedule = buildSchedule({ amount: p.amount, currency: p.currency, plan: p.plan, anchor: now });
    } catch (e) {
      if (e instanceof PlanError) return refuse(fail("amount_too_small_for_plan", e.message));
      throw e;
    }

    const limit = creditLimit(JSON.parse(customer.credit_limits), p.currency);
    const credit = checkCredit(limit, this.outstandingPrincipal(p.currency), p.amount);
    if (!credit.ok) {
      return refuse(
        fail(
          "credit_limit_exceeded",
          `Amount ${p.amount} exceeds the customer's available credit of ${credit.available} ${p.currency} minor units (limit ${limit}).`,
        ),
      );
    }

    const id = newId("pur", now.getTime());
    const captured = p.capture === "automatic";
    const row: PurchaseRow = {
      id,
      status: captured ? "active" : "requires_capture",
      amount: p.amount,
      currency: p.currency,
      interest_total: schedule.interest_total,
      total: schedule.total,
      plan: JSON.stringify(p.plan),
      capture: p.capture,
      captured_at: captured ? now.toISOString() : null,
      payment_method: p.payment_method,
      merchant_reference: p.merchant_reference ?? null,
      line_items: JSON.stringify(p.line_items ?? []),
      metadata: JSON.stringify(p.metadata ?? {}),
      created_at: now.toISOString(),
      version: 1,
    };
    const installments: InstallmentRow[] = schedule.installments.map((i) => ({
      purchase_id: id,
      number: i.number,
      amount: i.amount,
      principal: i.principal,
      interest: i.interest,
      due_at: i.due_at,
      status: "scheduled",
    }));
    return { ok: true, row, installments, purchase: toPurchase(row, installments, customer) };
  }

  /**
   * Runs a command's writes in one transaction together with its result under the
   * Idempotency-Key, the removal of acknowledged outbox rows, and the alarm that
   * retries the projection should this object die before D1 has it.
   */
  private commit<T>(idem: IdempotencyRef | undefined, result: CommandResult<T>, writes: () => void): void {
    const record = idem && (result.ok || !NOT_RECORDED.has(result.code));
    const now = this.now();
    this.ctx.storage.transactionSync(() => {
      this.outbox.settle();
      // Results are kept 24 hours of the customer's time; pruned here, so no alarm of their own.
      this.sql.exec("DELETE FROM commands WHERE created_at <= ?", commandsExpireBefore(now));
      writes();
      if (record) {
        this.sql.exec(
          "INSERT INTO commands (idempotency_key, fingerprint, result, created_at) VALUES (?, ?, ?, ?)",
          idem.key,
          idem.fingerprint,
          JSON.stringify(result),
          now.toISOString(),
        );
      }
    });
    // Same turn, no await in between: committed atomically with the transaction above.
    void this.armAlarm();
  }

  /** Keeps the one alarm at the earliest thing to do: a due action, or a projection retry. */
  private async armAlarm(): Promise<void> {
    const pending = this.outbox.pending();
    const action = this.frozenAt() ? undefined : this.collections.nextActionAt();
    const times = [pending ? Date.now() + PROJECTION_RETRY_MS : undefined, action ? Date.parse(action) : undefined];
    const next = Math.min(...times.filter((t): t is number => t !== undefined));
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
    else await this.ctx.storage.deleteAlarm();
  }

  /**
   * Live mode without a configured processor never gets this far (the API refuses its keys); should
   * the configuration be removed under a live customer, its due charges fail and the alarm retries.
   */
  private processor(): PaymentProcessor {
    const customer = this.customerRow();
    this.chosenProcessor ??=
      customer && processorFor(this.env, customer.livemode === 1, new SqlSimulatorStore(this.sql));
    if (!this.chosenProcessor) throw new Error("no payment processor is configured for this customer's mode");
    return this.chosenProcessor;
  }

  /** The customer's time: the test clock once one was advanced, the real time otherwise. */
  private now(): Date {
    const frozen = this.frozenAt();
    return frozen ? new Date(frozen) : new Date();
  }

  private frozenAt(): string | undefined {
    if (this.applied === 0) return undefined;
    return this.sql.exec<{ frozen_at: string }>("SELECT frozen_at FROM test_clock").toArray()[0]?.frozen_at;
  }

  /** A new version of the purchase, for D1. */
  private touch(purchaseId: string): void {
    const row = this.purchaseRow(purchaseId);
    if (!row) return;
    this.sql.exec("UPDATE purchases SET version = ? WHERE id = ?", row.version + 1, purchaseId);
    this.outbox.enqueue("purchase", purchaseId, row.version + 1);
  }

  /** The first result of a retried command within 24 hours, or a refusal if the key was used for another request. */
  private replay<T>(idem: IdempotencyRef | undefined): CommandResult<T> | undefined {
    if (!idem) return undefined;
    const row = this.sql
      .exec<{ fingerprint: string; result: string }>(
        "SELECT fingerprint, result FROM commands WHERE idempotency_key = ? AND created_at > ?",
        idem.key,
        commandsExpireBefore(this.now()),
      )
      .toArray()[0];
    if (!row) return undefined;
    if (row.fingerprint !== idem.fingerprint) {
      return fail("idempotency_key_reused", "This Idempotency-Key was already used with a different request.");
    }
    return { ...(JSON.parse(row.result) as CommandResult<T>), replayed: true };
  }

  private purchase(customer: CustomerRow, purchaseId: string): Purchase | null {
    const row = this.purchaseRow(purchaseId);
    return row ? toPurchase(row, this.installmentRows(purchaseId), customer) : null;
  }

  private purchaseRow(purchaseId: string): PurchaseRow | undefined {
    return this.sql
      .exec<PurchaseRow & Record<string, SqlStorageValue>>("SELECT * FROM purchases WHERE id = ?", purchaseId)
      .toArray()[0];
  }

  private installmentRows(purchaseId: string): InstallmentRow[] {
    return this.sql
      .exec<InstallmentRow & Record<string, SqlStorageValue>>(
        "SELECT * FROM installments WHERE purchase_id = ? ORDER BY number",
        purchaseId,
      )
      .toArray();
  }

  /** Capture: the purchase becomes owed, its due charges and reminders are planned, its installments logged. */
  private startSchedule(purchase: Purchase, at: string): void {
    this.post(capturePosting(purchase), at);
    this.collections.plan(purchase.id, new Date(at));
    for (const i of purchase.installments) logInstallment(this.sql, purchase.id, i.number, at);
  }

  /** Writes a balanced posting (the builders refuse unbalanced ones) as ledger lines. */
  private post(posting: Posting, at: string): void {
    const seq = this.sql.exec<{ n: number }>("SELECT COALESCE(MAX(posting), 0) + 1 AS n FROM ledger").one().n;
    insertRows(
      this.sql,
      "ledger",
      posting.lines.map((line) => ({
        posting: seq,
        event: posting.event,
        purchase_id: posting.purchaseId,
        currency: posting.currency,
        account: line.account,
        amount: line.amount,
        created_at: at,
      })),
    );
  }

  private outstandingPrincipal(currency: string): number {
    const owed = [...OWED].map(() => "?").join(", ");
    const row = this.sql
      .exec<{ owed: number }>(
        `SELECT COALESCE(SUM(i.principal), 0) AS owed FROM installments i JOIN purchases p ON p.id = i.purchase_id
         WHERE p.currency = ? AND i.status IN (${owed})`,
        currency,
        ...OWED,
      )
      .one();
    return row.owed;
  }

  /** The customer, if this object holds one and it belongs to the caller's merchant and mode. */
  private ownedCustomer(caller: Caller): CustomerRow | undefined {
    const c = this.customerRow();
    return c && c.merchant_id === caller.merchantId && c.livemode === (caller.livemode ? 1 : 0) ? c : undefined;
  }

  /** Reads never create tables, so looking up an unknown id leaves no empty object behind. */
  private customerRow(): CustomerRow | undefined {
    if (this.applied === 0) return undefined;
    this.customer ??= this.sql
      .exec<CustomerRow & Record<string, SqlStorageValue>>("SELECT * FROM customer")
      .toArray()[0];
    return this.customer;
  }

  private readSchemaVersion(): number {
    const table = this.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
      .toArray()[0];
    if (!table) return 0;
    return this.sql.exec<{ v: number }>("SELECT v FROM schema_version").one().v;
  }

  private migrate(): void {
    const from = this.applied;
    if (from === MIGRATIONS.length) return;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("CREATE TABLE IF NOT EXISTS schema_version (v INTEGER NOT NULL)");
      for (const ddl of MIGRATIONS.slice(from)) this.sql.exec(ddl);
      this.sql.exec("DELETE FROM schema_version");
      this.sql.exec("INSERT INTO schema_version (v) VALUES (?)", MIGRATIONS.length);
    });
    this.applied = MIGRATIONS.length;
  }
}

/** A command's result is replayed for 24 hours, as the Idempotency-Key's shard pins it. */
const commandsExpireBefore = (now: Date) => new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();

/**
 * Inserts row objects of one shape, naming every column (so the order of values can never
 * drift from the columns), as few statements as the parameter limit allows.
 */
function insertRows(sql: SqlStorage, table: string, rows: object[]): void {
  const [first] = rows;
  if (!first) return;
  const values = rows.map((r) => Object.values(r));
  for (const insert of multiRowInserts("INSERT", table, Object.keys(first), values)) {
    sql.exec(insert.sql, ...(insert.params as SqlStorageValue[]));
  }
}

/**
 * The configured policy. A broken COLLECTIONS_POLICY is an operator's mistake: collections go on
 * with the defaults, the error is logged, and /health answers 503 until it is fixed.
 */
function collectionsPolicy(env: Env): CollectionsPolicy {
  const config = policyFromConfig(env.COLLECTIONS_POLICY);
  if (config.ok) return config.policy;
  console.error(
    JSON.stringify({ level: "error", msg: "invalid COLLECTIONS_POLICY, using defaults", errors: config.errors }),
  );
  return DEFAULT_POLICY;
}

function normaliseLimits(limits: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).map(([c, v]) => [c.toUpperCase(), v]));
}
