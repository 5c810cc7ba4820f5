import type { Purchase, Refund } from "@tranche/shared";
import { capturePosting } from "../../domain/collections/ledger";
import type { Refusal } from "../../domain/collections/refusal";
import { planPurchase, scheduleAtCapture } from "../../domain/purchases/plan";
import { newId } from "../../lib/ids";
import type { Clock, Collections } from "./collections";
import {
  type CommandErrorCode,
  type CommandResult,
  type CreatePurchaseCommand,
  type CustomerPaymentCommand,
  fail,
  type IdempotencyRef,
  type Json,
  ok,
  type PurchaseCommand,
  type RefundCommand,
  toJson,
} from "./commands";
import type { CommandFrame, Resume } from "./frame";
import type { MoneyEvents } from "./money";
import type { Planned } from "./payments";
import type { Projected } from "./projection";
import { ledgerPurchase } from "./purchase-state";
import { type CustomerRow, newPurchaseRows, type PurchaseRow, toPurchase, toRefund } from "./rows";
import type { CustomerStore } from "./store";

export interface PurchaseCommandsDeps {
  store: CustomerStore;
  frame: CommandFrame;
  collections: Collections;
  clock: Clock;
  analytics: MoneyEvents;
  /** After a command: pushes what D1 lacks and re-arms the alarm. */
  settle(fresh?: Projected<Purchase>): Promise<void>;
}

type PurchaseResult = CommandResult<Json<Purchase>>;

/**
 * The commands on a customer's purchases, each in the frame: decide from current state without
 * writing; commit the writes with the record; and, for one that calls the processor, commit its
 * intent first, make the call, and complete the record from what the intent came to. `resume`
 * finishes an intent a command recorded but did not see through (the object was evicted).
 */
export class PurchaseCommands {
  constructor(private readonly deps: PurchaseCommandsDeps) {}

  async create(cmd: CreatePurchaseCommand, customer: CustomerRow): Promise<PurchaseResult> {
    const { store, frame, clock } = this.deps;
    const now = clock.now();
    const p = cmd.params;
    const plan = planPurchase(p, {
      paymentMethodAttached: store.paymentMethodToken(p.payment_method) !== undefined,
      creditLimits: JSON.parse(customer.credit_limits),
      outstandingPrincipal: store.outstandingPrincipal(p.currency),
      now,
    });
    if (!plan.ok) return this.refused(cmd.idempotency, plan);
    const { row, installments } = newPurchaseRows(newId("pur", now.getTime()), p, plan.schedule, now, cmd.traceId);
    const writes = () => {
      store.insertPurchase(row, installments);
      store.event("purchase.created", row.id, null, {}, row.created_at);
      if (row.captured_at) this.startSchedule(row, row.captured_at);
    };
    if (row.captured_at) {
      frame.commit(cmd.idempotency, writes, () => ({ resume: { kind: "capture", purchase: row.id } }));
      return this.finishCapture(row.id, customer, cmd.idempotency);
    }
    const purchase = toPurchase(row, installments, customer);
    const json = toJson(purchase);
    frame.commit(cmd.idempotency, writes, () => ({ result: ok(json) }));
    await this.deps.settle({ value: purchase, json });
    return ok(json);
  }

  /** Starts the schedule of a manually captured purchase: its due dates count from now. */
  async capture(cmd: PurchaseCommand, customer: CustomerRow, row: PurchaseRow): Promise<PurchaseResult> {
    if (row.status !== "requires_capture") {
      const detail = `Purchase ${row.id} is ${row.status}; only a purchase awaiting capture can be captured.`;
      return this.refused(cmd.idempotency, fail("invalid_state", detail));
    }
    const { store, frame, clock } = this.deps;
    const now = clock.now();
    const schedule = scheduleAtCapture({ ...row, plan: JSON.parse(row.plan) }, now);
    const captured: PurchaseRow = {
      ...row,
      status: "active",
      captured_at: now.toISOString(),
      version: row.version + 1,
    };
    const installments = store.installments(row.id).map((i, k) => ({
      ...i,
      due_at: schedule.installments[k]?.due_at ?? i.due_at,
    }));
    const writes = () => {
      store.updatePurchase(captured, installments);
      store.event("purchase.captured", row.id, null, {}, now.toISOString());
      this.startSchedule(captured, now.toISOString());
    };
    frame.commit(cmd.idempotency, writes, () => ({ resume: { kind: "capture", purchase: row.id } }));
    return this.finishCapture(row.id, customer, cmd.idempotency);
  }

  /** Releases an uncaptured purchase: nothing was owed, so nothing is posted. */
  async cancel(cmd: PurchaseCommand, customer: CustomerRow, row: PurchaseRow): Promise<PurchaseResult> {
    if (row.status !== "requires_capture") {
      const detail = `Purchase ${row.id} is ${row.status}; only an uncaptured purchase can be cancelled (refund a captured one).`;
      return this.refused(cmd.idempotency, fail("invalid_state", detail));
    }
    const { store, frame } = this.deps;
    const cancelled: PurchaseRow = { ...row, status: "cancelled", version: row.version + 1 };
    const installments = store.installments(row.id).map((i) => ({ ...i, status: "cancelled" as const }));
    const purchase = toPurchase(cancelled, installments, customer);
    const json = toJson(purchase);
    const writes = () => {
      store.updatePurchase(cancelled, installments);
      store.event("purchase.cancelled", row.id, null, {}, this.deps.clock.now().toISOString());
    };
    frame.commit(cmd.idempotency, writes, () => ({ result: ok(json) }));
    await this.deps.settle({ value: purchase, json });
    return ok(json);
  }

  /** Refunds part or all of a captured purchase; see `Payments.planRefund` for the rules. */
  async refund(cmd: RefundCommand, row: PurchaseRow): Promise<CommandResult<Json<Refund>>> {
    if (!row.captured_at || row.status === "cancelled") {
      const detail = `Purchase ${row.id} is ${row.status}; only a captured purchase can be refunded (cancel an uncaptured one).`;
      return this.refused(cmd.idempotency, fail("invalid_state", detail));
    }
    const refundId = newId("re");
    const planned = this.deps.collections.payments.planRefund(row, refundId, cmd.params);
    if ("ok" in planned) return this.refused(cmd.idempotency, planned);
    this.deps.frame.commit(cmd.idempotency, planned.writes, () => ({ resume: { kind: "refund", refund: refundId } }));
    return this.finishRefund(refundId, cmd.idempotency);
  }

  /** The customer pays an installment now, pays the plan off, or extends a due date; or an operator writes off. */
  async change(cmd: CustomerPaymentCommand, customer: CustomerRow, row: PurchaseRow): Promise<PurchaseResult> {
    const op = cmd.operation;
    if (!row.captured_at || row.status === "cancelled" || row.status === "refunded") {
      return this.refused(
        cmd.idempotency,
        fail("invalid_state", `Purchase ${row.id} is ${row.status}: nothing to pay.`),
      );
    }
    const { collections, frame } = this.deps;
    if (op.type === "pay" || op.type === "payoff") {
      const intent = newId("pay");
      const request = op.type === "pay" ? { type: op.type, number: op.number } : { type: op.type };
      const planned = collections.payments.planPayment(row, intent, request);
      if ("ok" in planned) return this.refused(cmd.idempotency, planned);
      frame.commit(cmd.idempotency, planned.writes, () => ({ resume: { kind: "payment", intent, purchase: row.id } }));
      return this.finishPayment(intent, row.id, customer, cmd.idempotency);
    }
    const planned: Refusal<CommandErrorCode> | Planned =
      op.type === "extend" ? collections.planExtension(row, op.number, op.days) : collections.planWriteOff(row);
    if ("ok" in planned) return this.refused(cmd.idempotency, planned);
    let purchase: Projected<Purchase> | undefined;
    frame.commit(cmd.idempotency, planned.writes, () => {
      purchase = this.purchase(customer, row.id);
      return { result: ok(purchase.json) };
    });
    await this.deps.settle(purchase);
    return purchase ? ok(purchase.json) : fail("not_found", `No such purchase: '${row.id}'.`);
  }

  /** Finishes a command the object was evicted in the middle of, from the intent it recorded. */
  resume(resume: Resume, idem: IdempotencyRef | undefined, customer: CustomerRow): Promise<CommandResult<unknown>> {
    switch (resume.kind) {
      case "capture":
        return this.finishCapture(resume.purchase, customer, idem);
      case "refund":
        return this.finishRefund(resume.refund, idem);
      case "payment":
        return this.finishPayment(resume.intent, resume.purchase, customer, idem);
    }
  }

  /**
   * Charges what falls due at capture (the first part of pay-in-n, a pay-in-full purchase)
   * before answering, so the merchant learns at checkout whether the card paid. The charge is
   * already a stored action: if this object dies meanwhile, the alarm or a retry charges it
   * instead, under the same processor key.
   */
  private async finishCapture(purchaseId: string, customer: CustomerRow, idem: IdempotencyRef | undefined) {
    const now = this.deps.clock.now();
    await this.deps.collections.runDue(now, now);
    const purchase = this.purchase(customer, purchaseId);
    const result = this.deps.frame.complete(idem, ok(purchase.json));
    await this.deps.settle(purchase);
    return result;
  }

  private async finishRefund(refundId: string, idem: IdempotencyRef | undefined) {
    const refund = await this.deps.collections.payments.settleRefund(refundId);
    if (!refund) throw new Error(`refund ${refundId} vanished`);
    const result = this.deps.frame.complete(idem, ok(toJson(toRefund(refund))));
    await this.deps.settle();
    return result;
  }

  private async finishPayment(
    intentId: string,
    purchaseId: string,
    customer: CustomerRow,
    idem: IdempotencyRef | undefined,
  ) {
    const intent = await this.deps.collections.payments.settle(intentId);
    const purchase = this.purchase(customer, purchaseId);
    const answer: PurchaseResult =
      intent?.status === "failed"
        ? fail("payment_declined", `The payment was declined (${intent.failure ?? "unknown"}).`)
        : ok(purchase.json);
    const result = this.deps.frame.complete(idem, answer);
    await this.deps.settle(purchase);
    return result;
  }

  /** A refusal after the checks: recorded under the key (unless it is one a corrected retry may fix). */
  private refused(idem: IdempotencyRef | undefined, refusal: Refusal<CommandErrorCode>): Refusal<CommandErrorCode> {
    this.deps.frame.commit(
      idem,
      () => {},
      () => ({ result: refusal }),
    );
    return refusal;
  }

  /** Capture: the purchase becomes owed, its due charges and reminders are planned, its installments logged. */
  private startSchedule(row: PurchaseRow, at: string): void {
    const { store, collections, analytics } = this.deps;
    store.post(capturePosting(ledgerPurchase(row)), at);
    collections.plan(row.id, at);
    for (const i of store.installments(row.id)) store.logInstallment(row.id, i.number, at);
    analytics.money(row, "capture", row.amount);
  }

  /** The purchase as the API shows it. */
  private purchase(customer: CustomerRow, purchaseId: string): Projected<Purchase> {
    const row = this.deps.store.purchase(purchaseId);
    if (!row) throw new Error(`purchase ${purchaseId} vanished`);
    const value = toPurchase(row, this.deps.store.installments(purchaseId), customer);
    return { value, json: toJson(value) };
  }
}
