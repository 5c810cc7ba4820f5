import type { MoneyEvent, Purchase, Refund, RefundCreateParams } from "@tranche/shared";
import { extendDueDate } from "../../domain/collections/extension";
import { assessLateFee } from "../../domain/collections/fees";
import { type CollectionInstallment, chargeAmount, IN_FLIGHT } from "../../domain/collections/installment";
import {
  feePosting,
  installmentPaidPosting,
  type Posting,
  payoffPosting,
  refundPayoutPosting,
  refundPosting,
  writeOffPosting,
} from "../../domain/collections/ledger";
import {
  type ChargeFailure,
  type FollowUp,
  type InstallmentEvent,
  plannedFollowUps,
  transition,
} from "../../domain/collections/lifecycle";
import { payOff } from "../../domain/collections/payoff";
import type { CollectionsPolicy } from "../../domain/collections/policy";
import { deriveStatus } from "../../domain/collections/purchase-status";
import { allocateRefund, refundable } from "../../domain/collections/refunds";
import type { ChargeRequest, ChargeResult, PaymentProcessor } from "../../processor/port";
import { logInstallment } from "./installment-log";
import type { PurchaseRow } from "./rows";

/** A timed action the alarm runs: one per installment and type. */
export interface Action {
  purchase_id: string;
  number: number;
  type: FollowUp["type"];
  at: string;
}

/** What an action did, as the test clock reports it. */
export interface Ran {
  at: string;
  type: Action["type"];
  purchase: string;
  installment: number;
  outcome: string;
}

export type Row = CollectionInstallment & { purchase_id: string; charge_id?: string | null };

/** What the collections engine needs of the customer object it runs in. */
export interface CollectionsHost {
  sql: SqlStorage;
  transact(writes: () => void): void;
  post(posting: Posting, at: string): void;
  /** Marks a purchase changed: a new version, projected to D1. */
  touch(purchaseId: string): void;
  purchaseRow(purchaseId: string): PurchaseRow | undefined;
  paymentMethodToken(paymentMethodId: string): string | undefined;
  /** Records a money event for analytics; never waits, never throws. */
  money(purchase: PurchaseRow, event: MoneyEvent, amount: number, declineCode?: string): void;
}

/**
 * Runs a customer's schedule: due charges, dunning retries, late fees and reminders, each an
 * action in storage whose time the object's alarm follows. Every action is idempotent, as
 * alarms are at-least-once: an action that no longer applies (an installment already paid,
 * an alarm delivered twice) is dropped, and a charge interrupted at the processor is sent
 * again under the same key, which the processor never charges twice.
 */
export class Collections {
  constructor(
    private readonly host: CollectionsHost,
    private readonly processor: PaymentProcessor,
    private readonly policy: CollectionsPolicy,
  ) {}

  /** Plans a captured purchase's due charges and reminders. Call inside the capture's transaction. */
  plan(purchaseId: string, now: Date): void {
    for (const installment of this.installments(purchaseId)) {
      this.schedule(purchaseId, plannedFollowUps(installment, this.policy, now), now);
    }
  }

  nextActionAt(): string | undefined {
    return this.host.sql.exec<{ at: string | null }>("SELECT MIN(at) AS at FROM actions").one().at ?? undefined;
  }

  /** Runs every action due by `until`, oldest first, each at its own time (never before `floor`). */
  async runDue(until: Date, floor: Date): Promise<Ran[]> {
    const ran: Ran[] = [];
    for (;;) {
      const action = this.host.sql
        .exec<Action & Record<string, SqlStorageValue>>(
          "SELECT * FROM actions WHERE at <= ? ORDER BY at, purchase_id, number LIMIT 1",
          until.toISOString(),
        )
        .toArray()[0];
      if (!action) return ran;
      const at = new Date(Math.max(Date.parse(action.at), floor.getTime()));
      ran.push({ ...(await this.run(action, at)), at: at.toISOString() });
    }
  }

  private async run(action: Action, now: Date): Promise<Omit<Ran, "at">> {
    const done = (outcome: string) => ({
      type: action.type,
      purchase: action.purchase_id,
      installment: action.number,
      outcome,
    });
    const purchase = this.host.purchaseRow(action.purchase_id);
    const installment = this.installments(action.purchase_id).find((i) => i.number === action.number);
    if (!purchase || !installment) {
      this.host.transact(() => this.drop(action));
      return done("dropped");
    }
    if (action.type === "reminder") {
      this.host.transact(() => {
        this.drop(action);
        if (installment.status === "scheduled") this.event("installment.reminder", purchase.id, installment, now);
      });
      return done(installment.status === "scheduled" ? "reminded" : "dropped");
    }
    if (action.type === "late_fee") return done(this.lateFee(action, purchase, now));
    return done(await this.charge(action, purchase, installment, now));
  }

  /**
   * Refunds part or all of a captured purchase's price: first by lowering what is still owed
   * (last installments first), then by paying collected money back through the processor, last
   * paid installment first, under keys derived from the refund id so a retry never pays twice.
   */
  async refund(
    purchase: PurchaseRow,
    refundId: string,
    params: RefundCreateParams,
    now: Date,
  ): Promise<{ ok: true; refund: Refund } | { ok: false; code: "validation_error" | "invalid_state"; detail: string }> {
    const installments = this.installments(purchase.id);
    const amount = params.amount ?? refundable(installments);
    const allocation = allocateRefund(installments, amount);
    if (!allocation.ok) {
      const code = allocation.code === "charge_in_flight" ? "invalid_state" : "validation_error";
      return { ok: false, code, detail: `Refund refused: ${allocation.detail}.` };
    }
    const at = now.toISOString();
    const refund: Refund = {
      id: refundId,
      object: "refund",
      purchase: purchase.id,
      amount,
      cash_returned: allocation.cash,
      status: "succeeded",
      reason: params.reason ?? null,
      created_at: at,
    };
    const cashFrom = new Map(installments.map((i) => [i.number, i.charge_id]));
    this.host.transact(() => {
      for (const i of allocation.installments) this.save({ ...i, purchase_id: purchase.id }, now);
      this.host.post(refundPosting(this.ledgerPurchase(purchase), allocation), at);
      // Actions of installments no longer owed would be dropped when they run; drop them now.
      for (const r of allocation.reductions.filter((r) => r.removed)) {
        this.host.sql.exec("DELETE FROM actions WHERE purchase_id = ? AND number = ?", purchase.id, r.number);
      }
      this.host.sql.exec(
        "INSERT INTO refunds (id, purchase_id, amount, cash_returned, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        refund.id,
        purchase.id,
        amount,
        allocation.cash,
        allocation.cash > 0 ? "pending" : "succeeded",
        refund.reason,
        at,
      );
      this.settleStatus(purchase, now);
    });
    this.host.money(purchase, "refund", amount);
    if (allocation.cash === 0) return { ok: true, refund };

    let paidOut = 0;
    for (const back of allocation.cashReturns) {
      const chargeId = cashFrom.get(back.number);
      const result = chargeId
        ? await this.processor.refund({
            idempotencyKey: `${refundId}:${back.number}`,
            chargeId,
            amount: back.amount,
            currency: purchase.currency,
          })
        : ({ status: "failed", retryable: false, code: "charge_not_found", message: "" } as const);
      if (result.status === "succeeded") paidOut += back.amount;
    }
    const status = paidOut === allocation.cash ? "succeeded" : "failed";
    this.host.transact(() => {
      if (paidOut > 0) this.host.post(refundPayoutPosting(this.ledgerPurchase(purchase), paidOut), at);
      this.host.sql.exec("UPDATE refunds SET status = ? WHERE id = ?", status, refundId);
      this.event(`refund.${status}`, purchase.id, undefined, now);
    });
    return { ok: true, refund: { ...refund, cash_returned: paidOut, status } };
  }

  /**
   * The customer pays one installment now. It goes to the processor under the installment's own
   * key, the one its due charge uses, so an early payment racing the due alarm is charged once.
   */
  async payEarly(purchase: PurchaseRow, number: number, now: Date): Promise<Refused | undefined> {
    const installment = this.installments(purchase.id).find((i) => i.number === number);
    if (!installment) return { code: "not_found", detail: `Purchase ${purchase.id} has no installment ${number}.` };
    const paid = transition(installment, { type: "paid_by_customer" }, this.policy, now);
    if (!paid.ok) return { code: "invalid_state", detail: `Installment ${number} cannot be paid: ${paid.detail}.` };
    const amount = chargeAmount(installment);
    const result = await this.collect(purchase, `${purchase.id}:${number}:${amount}`, amount);
    if (result.status !== "succeeded") return declined(result);
    this.host.transact(() => {
      this.save({ ...paid.installment, purchase_id: purchase.id, charge_id: result.chargeId }, now);
      this.host.sql.exec("DELETE FROM actions WHERE purchase_id = ? AND number = ?", purchase.id, number);
      this.host.post(installmentPaidPosting(this.ledgerPurchase(purchase), installment), now.toISOString());
      this.event("installment.paid", purchase.id, { ...paid.installment, purchase_id: purchase.id }, now);
      this.settleStatus(purchase, now);
    });
    return undefined;
  }

  /** The customer pays everything still owed; interest of months not yet due is waived. */
  async payoff(purchase: PurchaseRow, now: Date): Promise<Refused | undefined> {
    const quote = payOff(this.installments(purchase.id), now);
    if (!quote.ok) return { code: "invalid_state", detail: `Nothing to pay off: ${quote.detail}.` };
    const result = await this.collect(purchase, `${purchase.id}:payoff:${quote.amount}`, quote.amount);
    if (result.status !== "succeeded") return declined(result);
    this.host.transact(() => {
      for (const i of quote.installments) this.save({ ...i, purchase_id: purchase.id }, now);
      this.host.sql.exec("DELETE FROM actions WHERE purchase_id = ?", purchase.id);
      this.host.post(payoffPosting(this.ledgerPurchase(purchase), quote), now.toISOString());
      this.event("purchase.paid_off", purchase.id, undefined, now);
      this.settleStatus(purchase, now);
    });
    return undefined;
  }

  /** An operator writes off a delinquent purchase's failed_final installments: their debt becomes bad debt. */
  writeOff(purchase: PurchaseRow, now: Date): Refused | undefined {
    const lost = this.installments(purchase.id).filter((i) => i.status === "failed_final");
    if (lost.length === 0) {
      return { code: "invalid_state", detail: `Purchase ${purchase.id} has no failed_final installment to write off.` };
    }
    this.host.transact(() => {
      for (const i of lost) {
        const written = transition(i, { type: "written_off" }, this.policy, now);
        if (written.ok) this.save({ ...written.installment, purchase_id: purchase.id }, now);
        this.host.sql.exec("DELETE FROM actions WHERE purchase_id = ? AND number = ?", purchase.id, i.number);
      }
      this.host.post(writeOffPosting(this.ledgerPurchase(purchase), lost), now.toISOString());
      this.event("purchase.written_off", purchase.id, undefined, now);
      this.settleStatus(purchase, now);
    });
    const writtenOff = lost.reduce((sum, i) => sum + chargeAmount(i), 0);
    this.host.money(purchase, "write_off", writtenOff);
    return undefined;
  }

  /** Moves a scheduled installment's due date later, within the policy's bounds. */
  extend(purchase: PurchaseRow, number: number, days: number, now: Date): Refused | undefined {
    const installment = this.installments(purchase.id).find((i) => i.number === number);
    if (!installment) return { code: "not_found", detail: `Purchase ${purchase.id} has no installment ${number}.` };
    const extension = extendDueDate(installment, days, purchase.currency, this.policy, now);
    if (!extension.ok) {
      const code = extension.code === "invalid_days" ? "validation_error" : "invalid_state";
      return { code, detail: `Installment ${number} cannot be extended: ${extension.detail}.` };
    }
    this.host.transact(() => {
      this.save({ ...extension.installment, purchase_id: purchase.id }, now);
      this.host.sql.exec("DELETE FROM actions WHERE purchase_id = ? AND number = ?", purchase.id, number);
      this.schedule(purchase.id, extension.followUps, now);
      if (extension.fee > 0) {
        this.host.post(feePosting(this.ledgerPurchase(purchase), "extension_fee", extension.fee), now.toISOString());
      }
      this.host.touch(purchase.id);
    });
    return undefined;
  }

  private collect(purchase: PurchaseRow, idempotencyKey: string, amount: number): Promise<ChargeResult> {
    const token = this.host.paymentMethodToken(purchase.payment_method);
    if (!token)
      return Promise.resolve({
        status: "declined",
        retryable: false,
        code: "payment_method_missing",
        message: "No payment method.",
      });
    return this.sendCharge(purchase, {
      idempotencyKey,
      paymentMethod: { id: purchase.payment_method, token },
      amount,
      currency: purchase.currency,
    });
  }

  private async charge(action: Action, purchase: PurchaseRow, installment: Row, now: Date): Promise<string> {
    let sending = installment;
    if (!IN_FLIGHT.has(installment.status)) {
      const started = transition(installment, { type: "charge_started" }, this.policy, now);
      if (!started.ok) {
        this.host.transact(() => this.drop(action));
        return "dropped";
      }
      sending = { ...started.installment, purchase_id: purchase.id };
      this.host.transact(() => this.save(sending, now));
    }
    const token = this.host.paymentMethodToken(purchase.payment_method);
    const amount = chargeAmount(sending);
    const result: ChargeResult = token
      ? await this.sendCharge(purchase, {
          // Stable for the installment across retries and re-deliveries; it changes only with the amount
          // (a late fee), so a processor never sees one key for two different charges.
          idempotencyKey: `${purchase.id}:${sending.number}:${amount}`,
          paymentMethod: { id: purchase.payment_method, token },
          amount,
          currency: purchase.currency,
        })
      : { status: "declined", retryable: false, code: "payment_method_missing", message: "No payment method." };

    const event: InstallmentEvent =
      result.status === "succeeded" ? { type: "charge_succeeded" } : { type: "charge_failed", reason: failure(result) };
    const next = transition(sending, event, this.policy, now);
    // Another run of this action (an alarm re-delivered while the processor answered) settled it first.
    if (!next.ok) return "already settled";
    const chargeId = result.status === "succeeded" ? result.chargeId : undefined;
    const after: Row = { ...next.installment, purchase_id: purchase.id, charge_id: chargeId };
    this.host.transact(() => {
      this.drop(action);
      this.save(after, now);
      if (result.status === "succeeded") {
        this.host.post(installmentPaidPosting(this.ledgerPurchase(purchase), sending), now.toISOString());
        this.event("installment.paid", purchase.id, after, now);
      } else {
        this.event(
          after.status === "failed_final" ? "installment.failed_final" : "installment.failed",
          purchase.id,
          after,
          now,
        );
      }
      this.schedule(purchase.id, next.followUps, now);
      this.settleStatus(purchase, now);
    });
    return result.status === "succeeded" ? "paid" : `${after.status} (${"code" in result ? result.code : ""})`;
  }

  /** Sends a charge to the processor, recording the attempt and its outcome for analytics. */
  private async sendCharge(purchase: PurchaseRow, request: ChargeRequest): Promise<ChargeResult> {
    this.host.money(purchase, "charge.attempted", request.amount);
    const result = await this.processor.charge(request);
    if (result.status === "succeeded") this.host.money(purchase, "charge.succeeded", request.amount);
    else this.host.money(purchase, "charge.declined", request.amount, result.code);
    return result;
  }

  private lateFee(action: Action, purchase: PurchaseRow, now: Date): string {
    const installments = this.installments(purchase.id);
    const { installments: assessed, fee } = assessLateFee(purchase, installments, action.number, this.policy);
    this.host.transact(() => {
      this.drop(action);
      if (fee === 0) return;
      const charged = assessed.find((i) => i.number === action.number);
      if (charged) this.save({ ...charged, purchase_id: purchase.id }, now);
      this.host.post(feePosting(this.ledgerPurchase(purchase), "late_fee", fee), now.toISOString());
      this.host.touch(purchase.id);
    });
    if (fee > 0) this.host.money(purchase, "late_fee", fee);
    return fee === 0 ? "no fee (cap reached)" : `late fee ${fee}`;
  }

  /** Follow-ups become actions; a late fee is applied at once, in the same transaction. */
  private schedule(purchaseId: string, followUps: FollowUp[], now: Date): void {
    for (const f of followUps) {
      const at = f.type === "late_fee" ? now.toISOString() : f.at;
      this.host.sql.exec(
        `INSERT INTO actions (purchase_id, number, type, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (purchase_id, number, type) DO UPDATE SET at = excluded.at`,
        purchaseId,
        f.number,
        f.type,
        at,
      );
    }
  }

  settleStatus(purchase: PurchaseRow, now: Date): void {
    const status = deriveStatus(purchase, this.installments(purchase.id));
    if (status !== purchase.status) {
      this.host.sql.exec("UPDATE purchases SET status = ? WHERE id = ?", status, purchase.id);
      this.event(`purchase.${status}`, purchase.id, undefined, now);
    }
    this.host.touch(purchase.id);
  }

  installments(purchaseId: string): Row[] {
    return this.host.sql
      .exec<Row & Record<string, SqlStorageValue>>(
        "SELECT * FROM installments WHERE purchase_id = ? ORDER BY number",
        purchaseId,
      )
      .toArray();
  }

  /**
   * Writes an installment's state as of `now`, and logs it for the reports; a charge id, once
   * recorded, is kept when the row carries none.
   */
  save(i: Row, now: Date): void {
    this.host.sql.exec(
      `UPDATE installments SET status = ?, attempts_failed = ?, late_fee = ?, extension_fees = ?, extensions = ?,
         cash_refunded = ?, due_at = ?, amount = ?, principal = ?, interest = ?, charge_id = COALESCE(?, charge_id)
       WHERE purchase_id = ? AND number = ?`,
      i.status,
      i.attempts_failed,
      i.late_fee,
      i.extension_fees,
      i.extensions,
      i.cash_refunded,
      i.due_at,
      i.amount,
      i.principal,
      i.interest,
      i.charge_id ?? null,
      i.purchase_id,
      i.number,
    );
    logInstallment(this.host.sql, i.purchase_id, i.number, now.toISOString());
  }

  private drop(action: Action): void {
    this.host.sql.exec(
      "DELETE FROM actions WHERE purchase_id = ? AND number = ? AND type = ? AND at = ?",
      action.purchase_id,
      action.number,
      action.type,
      action.at,
    );
  }

  event(type: string, purchaseId: string, installment: Row | undefined, now: Date): void {
    this.host.sql.exec(
      "INSERT INTO events (type, purchase_id, number, data, created_at) VALUES (?, ?, ?, ?, ?)",
      type,
      purchaseId,
      installment?.number ?? null,
      JSON.stringify(installment ? { status: installment.status, amount: chargeAmount(installment) } : {}),
      now.toISOString(),
    );
  }

  ledgerPurchase(p: PurchaseRow): Pick<Purchase, "id" | "currency" | "amount" | "interest_total" | "total"> {
    return { id: p.id, currency: p.currency, amount: p.amount, interest_total: p.interest_total, total: p.total };
  }
}

/** A customer operation the rules or the processor refused; nothing was written. */
export interface Refused {
  code: "not_found" | "invalid_state" | "validation_error" | "payment_declined";
  detail: string;
}

function declined(result: Exclude<ChargeResult, { status: "succeeded" }>): Refused {
  return { code: "payment_declined", detail: `The payment was declined (${result.code}): ${result.message}` };
}

function failure(result: Exclude<ChargeResult, { status: "succeeded" }>): ChargeFailure {
  if (result.status === "failed" && result.retryable) return "processor_error";
  return result.retryable ? "soft_decline" : "hard_decline";
}
