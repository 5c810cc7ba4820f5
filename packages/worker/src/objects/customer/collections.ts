import type { EventType } from "@tranche/shared";
import { extendDueDate } from "../../domain/collections/extension";
import { assessLateFee } from "../../domain/collections/fees";
import { chargeAmount, IN_FLIGHT } from "../../domain/collections/installment";
import { feePosting, installmentPaidPosting, writeOffPosting } from "../../domain/collections/ledger";
import {
  type ChargeFailure,
  type FollowUp,
  type InstallmentEvent,
  plannedFollowUps,
  transition,
} from "../../domain/collections/lifecycle";
import type { CollectionsPolicy } from "../../domain/collections/policy";
import { type Refusal, refuse } from "../../domain/collections/refusal";
import { childTraceparent, workTrace } from "../../lib/trace";
import type { ChargeResult, PaymentProcessor } from "../../processor/port";
import type { Action, CollectionsStore, Row } from "./collections-store";
import { type CommandErrorCode, invalid } from "./commands";
import type { MoneyEvents } from "./money";
import { Payments, type Planned } from "./payments";
import { ledgerPurchase, settleStatus } from "./purchase-state";
import type { PurchaseRow } from "./rows";

/** The customer's time: the test clock once one was advanced, the real time otherwise. */
export interface Clock {
  now(): Date;
}

/**
 * Named points around every await of a command, where a test can make the object die as an
 * eviction would. In production, nothing happens there.
 */
export interface AwaitPoints {
  at(point: string): void;
}

export interface CollectionsDeps {
  store: CollectionsStore;
  clock: Clock;
  processor: PaymentProcessor;
  policy: CollectionsPolicy;
  analytics: MoneyEvents;
  faults: AwaitPoints;
}

/** What an action or intent did, as the test clock reports it. */
export interface Ran {
  at: string;
  type: Action["type"] | "payment";
  purchase: string;
  installment: number | null;
  outcome: string;
}

/**
 * Runs a customer's schedule: due charges, dunning retries, late fees and reminders, each an
 * action in storage whose time the object's alarm follows, and the intents (payments, payouts)
 * left to the alarm. Every action is idempotent, as alarms are at-least-once: an action that no
 * longer applies (an installment already paid, an alarm delivered twice) is dropped, and a charge
 * interrupted at the processor is sent again under the same key, which never charges twice.
 */
export class Collections {
  readonly payments: Payments;
  private readonly store: CollectionsStore;
  private readonly policy: CollectionsPolicy;

  constructor(private readonly deps: CollectionsDeps) {
    this.payments = new Payments(deps);
    this.store = deps.store;
    this.policy = deps.policy;
  }

  /** Plans a captured purchase's due charges and reminders. Call inside the capture's transaction. */
  plan(purchaseId: string, at: string): void {
    for (const installment of this.store.installments(purchaseId)) {
      this.schedule(purchaseId, plannedFollowUps(installment, this.policy, new Date(at)), at);
    }
  }

  /** When the alarm next has something to do. */
  nextAt(): string | undefined {
    const times = [this.store.nextActionAt(), this.payments.nextAt()].filter((t) => t !== undefined);
    return times.sort()[0];
  }

  /** Runs every action and intent due by `until`, oldest first, each at its own time (never before `floor`). */
  async runDue(until: Date, floor: Date): Promise<Ran[]> {
    const ran: Ran[] = [];
    const bound = until.toISOString();
    for (;;) {
      const action = this.store.nextAction(bound);
      const intent = this.payments.due(bound)[0];
      const next = intent && (!action || (intent.next_at ?? "") <= action.at) ? intent : action;
      if (!next) return ran;
      const due = "type" in next ? next.at : (next.next_at ?? bound);
      const at = new Date(Math.max(Date.parse(due), floor.getTime()));
      if ("type" in next) {
        const outcome = await this.run(next, at);
        // A command here is still waiting for the processor on this purchase; it re-arms the alarm when done.
        if (!outcome) return ran;
        ran.push({ ...outcome, at: at.toISOString() });
      } else {
        await this.payments.send(next, at);
        const after = this.store.intent(next.id);
        const outcome = `${next.kind} ${after?.status ?? "gone"}`;
        ran.push({
          at: at.toISOString(),
          type: "payment",
          purchase: next.purchase_id,
          installment: next.number,
          outcome,
        });
      }
    }
  }

  /** An operator writes off a delinquent purchase's failed_final installments: their debt becomes bad debt. */
  planWriteOff(purchase: PurchaseRow): Refusal<CommandErrorCode> | Planned {
    const busy = this.payments.busy(purchase.id);
    if (busy) return busy;
    const lost = this.store.installments(purchase.id).filter((i) => i.status === "failed_final");
    if (lost.length === 0) {
      return refuse("invalid_state", `Purchase ${purchase.id} has no failed_final installment to write off.`);
    }
    const now = this.deps.clock.now();
    const at = now.toISOString();
    return {
      writes: () => {
        for (const i of lost) {
          const written = transition(i, { type: "written_off" }, this.policy, now);
          if (written.ok) this.store.saveInstallment({ ...written.installment, purchase_id: purchase.id }, at);
          this.store.dropActions(purchase.id, i.number);
        }
        this.store.post(writeOffPosting(ledgerPurchase(purchase), lost), at);
        settleStatus(this.store, purchase, at);
        this.deps.analytics.money(
          purchase,
          "write_off",
          lost.reduce((sum, i) => sum + chargeAmount(i), 0),
        );
      },
    };
  }

  /** Moves a scheduled installment's due date later, within the policy's bounds. */
  planExtension(purchase: PurchaseRow, number: number, days: number): Refusal<CommandErrorCode> | Planned {
    const busy = this.payments.busy(purchase.id);
    if (busy) return busy;
    const installment = this.store.installments(purchase.id).find((i) => i.number === number);
    if (!installment) return refuse("not_found", `Purchase ${purchase.id} has no installment ${number}.`);
    const now = this.deps.clock.now();
    const extension = extendDueDate(installment, days, purchase.currency, this.policy, now);
    if (!extension.ok) {
      const detail = `Installment ${number} cannot be extended: ${extension.detail}.`;
      return extension.code === "invalid_days" ? invalid("days", detail) : refuse("invalid_state", detail);
    }
    const at = now.toISOString();
    return {
      writes: () => {
        this.store.saveInstallment({ ...extension.installment, purchase_id: purchase.id }, at);
        this.store.dropActions(purchase.id, number);
        this.schedule(purchase.id, extension.followUps, at);
        if (extension.fee > 0) {
          this.store.post(feePosting(ledgerPurchase(purchase), "extension_fee", extension.fee), at);
        }
        this.store.event("installment.extended", purchase.id, number, { days, fee: extension.fee }, at);
        this.store.touch(purchase.id);
      },
    };
  }

  private async run(action: Action, now: Date): Promise<Omit<Ran, "at"> | null> {
    const done = (outcome: string) => ({
      type: action.type,
      purchase: action.purchase_id,
      installment: action.number,
      outcome,
    });
    const at = now.toISOString();
    const purchase = this.store.purchase(action.purchase_id);
    const installment = this.store.installments(action.purchase_id).find((i) => i.number === action.number);
    if (!purchase || !installment) {
      this.store.transact(() => this.store.dropAction(action));
      return done("dropped");
    }
    if (action.type === "reminder") {
      const remind = installment.status === "scheduled";
      this.store.transact(() => {
        this.store.dropAction(action);
        if (remind) this.event("installment.reminder", installment, at);
      });
      return done(remind ? "reminded" : "dropped");
    }
    if (action.type === "late_fee") return done(this.lateFee(action, purchase, at));
    const open = this.payments.open(purchase.id);
    if (open) {
      // A payment the customer started decides this installment first; the charge waits for it.
      if (this.payments.isSending(open.id)) return null;
      await this.payments.send(open, now);
      return this.run(action, now);
    }
    return done(await this.charge(action, purchase, installment, now));
  }

  private async charge(action: Action, purchase: PurchaseRow, installment: Row, now: Date): Promise<string> {
    const at = now.toISOString();
    let sending = installment;
    if (!IN_FLIGHT.has(installment.status)) {
      const started = transition(installment, { type: "charge_started" }, this.policy, now);
      if (!started.ok) {
        this.store.transact(() => this.store.dropAction(action));
        return "dropped";
      }
      sending = { ...started.installment, purchase_id: purchase.id };
      this.store.transact(() => this.store.saveInstallment(sending, at));
    }
    const amount = chargeAmount(sending);
    const result = await this.sendCharge(purchase, sending.number, amount);

    const event: InstallmentEvent =
      result.status === "succeeded" ? { type: "charge_succeeded" } : { type: "charge_failed", reason: failure(result) };
    const next = transition(sending, event, this.policy, now);
    // Another run of this action (an alarm re-delivered while the processor answered) settled it first.
    if (!next.ok) return "already settled";
    const chargeId = result.status === "succeeded" ? result.chargeId : undefined;
    const after: Row = { ...next.installment, purchase_id: purchase.id, charge_id: chargeId };
    this.store.transact(() => {
      this.store.dropAction(action);
      this.store.saveInstallment(after, at);
      if (result.status === "succeeded") {
        this.deps.analytics.money(purchase, "charge.succeeded", amount);
        this.store.post(installmentPaidPosting(ledgerPurchase(purchase), sending), at);
        this.event("installment.paid", after, at);
      } else {
        this.deps.analytics.money(purchase, "charge.declined", amount, "code" in result ? result.code : undefined);
        this.event(after.status === "failed_final" ? "installment.failed_final" : "installment.failed", after, at);
      }
      this.schedule(purchase.id, next.followUps, at);
      settleStatus(this.store, purchase, at);
    });
    return result.status === "succeeded" ? "paid" : `${after.status} (${"code" in result ? result.code : ""})`;
  }

  /**
   * The due charge's key is stable for the installment across retries and re-deliveries; it
   * changes only with the amount (a late fee), so a processor never sees one key for two charges.
   */
  private async sendCharge(purchase: PurchaseRow, number: number, amount: number): Promise<ChargeResult> {
    const { processor, analytics, faults } = this.deps;
    // Attempted even without a card to charge: the decline it ends in is counted, as for a customer payment.
    analytics.money(purchase, "charge.attempted", amount);
    const token = this.store.paymentMethodToken(purchase.payment_method);
    if (!token) return { status: "declined", retryable: false, code: "payment_method_missing", message: "" };
    faults.at("charge:before");
    const result = await processor.charge({
      idempotencyKey: `${purchase.id}:${number}:${amount}`,
      paymentMethod: { id: purchase.payment_method, token },
      amount,
      currency: purchase.currency,
      traceparent: childTraceparent(workTrace(purchase.trace_id)),
    });
    faults.at("charge:after");
    return result;
  }

  private lateFee(action: Action, purchase: PurchaseRow, at: string): string {
    const installments = this.store.installments(purchase.id);
    const { installments: assessed, fee } = assessLateFee(purchase, installments, action.number, this.policy);
    this.store.transact(() => {
      this.store.dropAction(action);
      if (fee === 0) return;
      const charged = assessed.find((i) => i.number === action.number);
      if (charged) this.store.saveInstallment({ ...charged, purchase_id: purchase.id }, at);
      this.store.post(feePosting(ledgerPurchase(purchase), "late_fee", fee), at);
      this.store.event("installment.late_fee", purchase.id, action.number, { fee }, at);
      this.store.touch(purchase.id);
      this.deps.analytics.money(purchase, "late_fee", fee);
    });
    return fee === 0 ? "no fee (cap reached)" : `late fee ${fee}`;
  }

  /** Follow-ups become actions; a late fee is applied at once, in the same transaction. */
  private schedule(purchaseId: string, followUps: FollowUp[], at: string): void {
    for (const f of followUps) {
      this.store.putAction({ purchase_id: purchaseId, number: f.number, type: f.type, at: "at" in f ? f.at : at });
    }
  }

  private event(type: EventType, installment: Row, at: string): void {
    this.store.event(type, installment.purchase_id, installment.number, {}, at);
  }
}

function failure(result: Exclude<ChargeResult, { status: "succeeded" }>): ChargeFailure {
  if (result.status === "failed" && result.retryable) return "processor_error";
  return result.retryable ? "soft_decline" : "hard_decline";
}
