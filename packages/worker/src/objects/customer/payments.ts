import type { RefundCreateParams } from "@tranche/shared";
import { chargeAmount, OWED } from "../../domain/collections/installment";
import {
  installmentPaidPosting,
  payoffPosting,
  refundPayoutPosting,
  refundPosting,
} from "../../domain/collections/ledger";
import { transition } from "../../domain/collections/lifecycle";
import { payOff } from "../../domain/collections/payoff";
import { afterPayoutAttempt, refundStatus } from "../../domain/collections/payouts";
import { allocateRefund, refundable } from "../../domain/collections/refunds";
import { type Refusal, refuse } from "../../domain/collections/refusal";
import { childTraceparent, workTrace } from "../../lib/trace";
import type { ChargeResult, RefundResult } from "../../processor/port";
import type { CollectionsDeps } from "./collections";
import { type IntentRow, pendingIntent, type RefundRow } from "./collections-store";
import { type CommandErrorCode, invalid } from "./commands";
import { ledgerPurchase, settleStatus } from "./purchase-state";
import type { PurchaseRow } from "./rows";

/** A customer payment: one installment now, or everything still owed. */
export type PaymentRequest = { type: "pay"; number: number } | { type: "payoff" };

/** What a command commits once its checks pass, inside its transaction with its idempotency record. */
export interface Planned {
  writes: () => void;
}

/**
 * Money moved through the processor at a customer's or merchant's request: pay now, payoff and
 * the payouts of cash refunds. Every call is an intent first (store.ts `intents`): the command
 * commits it, with its processor key fixed, together with its own record; then `send` makes the
 * call and commits the outcome. Whoever finds a pending intent (the command, a retry of it, the
 * alarm) sends that same request, so a key never changes and nothing moves twice.
 */
export class Payments {
  /** Intents whose call is awaited in this instance: the alarm leaves them to their command. */
  private readonly sending = new Set<string>();

  constructor(private readonly deps: CollectionsDeps) {}

  /**
   * A refund lowers what is owed at once and returns collected cash as one payout per paid
   * installment, keyed `<refund id>:<installment>` so that every retry sends the same request.
   */
  planRefund(purchase: PurchaseRow, refundId: string, params: RefundCreateParams): Refusal<CommandErrorCode> | Planned {
    const { store, clock } = this.deps;
    const busy = this.busy(purchase.id);
    if (busy) return busy;
    const installments = store.installments(purchase.id);
    const amount = params.amount ?? refundable(installments);
    const allocation = allocateRefund(installments, amount);
    if (!allocation.ok) {
      const detail = `Refund refused: ${allocation.detail}.`;
      return allocation.code === "charge_in_flight" ? refuse("invalid_state", detail) : invalid("amount", detail);
    }
    const at = clock.now().toISOString();
    const chargeOf = new Map(installments.map((i) => [i.number, i.charge_id ?? null]));
    return {
      writes: () => {
        for (const i of allocation.installments) store.saveInstallment({ ...i, purchase_id: purchase.id }, at);
        store.post(refundPosting(ledgerPurchase(purchase), allocation), at);
        // Actions of installments no longer owed would be dropped when they run; drop them now.
        for (const r of allocation.reductions.filter((r) => r.removed)) store.dropActions(purchase.id, r.number);
        const status = allocation.cash > 0 ? "pending" : "succeeded";
        const reason = params.reason ?? null;
        store.insertRefund({
          id: refundId,
          purchase_id: purchase.id,
          amount,
          cash_returned: 0,
          status,
          reason,
          created_at: at,
        });
        store.event("refund.created", purchase.id, null, { refund: refundId }, at);
        for (const back of allocation.cashReturns) {
          const key = `${refundId}:${back.number}`;
          store.insertIntent({
            ...pendingIntent(key, "payout", purchase.id, back.amount, at),
            number: back.number,
            refund_id: refundId,
            charge_id: chargeOf.get(back.number) ?? null,
          });
        }
        settleStatus(store, purchase, at);
        this.deps.analytics.money(purchase, "refund", amount);
      },
    };
  }

  /**
   * A payment the customer makes now. Paying one installment uses the key its due charge uses,
   * so the two can never both take the money; a payoff is keyed by its amount.
   */
  planPayment(purchase: PurchaseRow, intentId: string, request: PaymentRequest): Refusal<CommandErrorCode> | Planned {
    const { store, clock, policy } = this.deps;
    const busy = this.busy(purchase.id);
    if (busy) return busy;
    const now = clock.now();
    const installments = store.installments(purchase.id);
    let key: string;
    let amount: number;
    if (request.type === "pay") {
      const installment = installments.find((i) => i.number === request.number);
      if (!installment) return refuse("not_found", `Purchase ${purchase.id} has no installment ${request.number}.`);
      const paid = transition(installment, { type: "paid_by_customer" }, policy, now);
      if (!paid.ok) return refuse("invalid_state", `Installment ${request.number} cannot be paid: ${paid.detail}.`);
      amount = chargeAmount(installment);
      key = `${purchase.id}:${request.number}:${amount}`;
    } else {
      const quote = payOff(installments, now);
      if (!quote.ok) return refuse("invalid_state", `Nothing to pay off: ${quote.detail}.`);
      amount = quote.amount;
      key = `${purchase.id}:payoff:${amount}`;
    }
    const number = request.type === "pay" ? request.number : null;
    const kind = request.type === "pay" ? "pay_now" : "payoff";
    return {
      writes: () =>
        store.insertIntent({
          ...pendingIntent(key, kind, purchase.id, amount, now.toISOString()),
          id: intentId,
          number,
        }),
    };
  }

  /** Sends every pending payout of a refund (unless already being sent here) and returns the refund. */
  async settleRefund(refundId: string): Promise<RefundRow | undefined> {
    for (const intent of this.deps.store.intentsOf(refundId)) {
      if (intent.status === "pending") await this.send(intent, this.deps.clock.now());
    }
    return this.deps.store.refund(refundId);
  }

  /** Sends a pending intent (unless already being sent here) and returns it as it ended. */
  async settle(intentId: string): Promise<IntentRow | undefined> {
    const intent = this.deps.store.intent(intentId);
    if (intent?.status === "pending") await this.send(intent, this.deps.clock.now());
    return this.deps.store.intent(intentId);
  }

  /** The customer payment still pending on a purchase, if any: one at a time. */
  open(purchaseId: string): IntentRow | undefined {
    return this.deps.store.pendingIntents(purchaseId).find((i) => i.kind !== "payout");
  }

  isSending(intentId: string): boolean {
    return this.sending.has(intentId);
  }

  nextAt(): string | undefined {
    return this.deps.store.nextIntentAt();
  }

  /** Intents due by `until` that no command here is sending: left by an eviction, or payouts to retry. */
  due(until: string): IntentRow[] {
    return this.deps.store.dueIntents(until).filter((i) => !this.sending.has(i.id));
  }

  /** Makes the intent's call and commits its outcome; `at` is the time the outcome is recorded at. */
  async send(intent: IntentRow, at: Date): Promise<void> {
    if (this.sending.has(intent.id)) return;
    const { store, faults } = this.deps;
    const purchase = store.purchase(intent.purchase_id);
    if (!purchase) return;
    this.sending.add(intent.id);
    try {
      faults.at(`${intent.kind}:before`);
      if (intent.kind === "payout") {
        const result = await this.payout(intent, purchase);
        faults.at(`${intent.kind}:after`);
        store.transact(() => this.recordPayout(intent, purchase, result, at));
      } else {
        this.deps.analytics.money(purchase, "charge.attempted", intent.amount);
        const result = await this.charge(intent, purchase);
        faults.at(`${intent.kind}:after`);
        store.transact(() => this.recordCharge(intent, purchase, result, at));
      }
    } finally {
      this.sending.delete(intent.id);
    }
  }

  private payout(intent: IntentRow, purchase: PurchaseRow): Promise<RefundResult> {
    if (!intent.charge_id) {
      const missing = { status: "failed", retryable: false, code: "charge_not_found", message: "" } as const;
      return Promise.resolve(missing);
    }
    return this.deps.processor.refund({
      idempotencyKey: intent.processor_key,
      chargeId: intent.charge_id,
      amount: intent.amount,
      currency: purchase.currency,
      traceparent: childTraceparent(workTrace(purchase.trace_id)),
    });
  }

  private charge(intent: IntentRow, purchase: PurchaseRow): Promise<ChargeResult> {
    const token = this.deps.store.paymentMethodToken(purchase.payment_method);
    if (!token) {
      const missing = { status: "declined", retryable: false, code: "payment_method_missing", message: "" } as const;
      return Promise.resolve(missing);
    }
    return this.deps.processor.charge({
      idempotencyKey: intent.processor_key,
      paymentMethod: { id: purchase.payment_method, token },
      amount: intent.amount,
      currency: purchase.currency,
      traceparent: childTraceparent(workTrace(purchase.trace_id)),
    });
  }

  private recordPayout(intent: IntentRow, purchase: PurchaseRow, result: RefundResult, now: Date): void {
    const { store, policy } = this.deps;
    const current = store.intent(intent.id);
    if (current?.status !== "pending") return;
    const attempts = current.attempts + 1;
    const after = afterPayoutAttempt(result, attempts, new Date(current.created_at), policy, now);
    const at = now.toISOString();
    this.deps.analytics.payout(purchase, intent.refund_id, intent.amount, after.status);
    store.updateIntent({
      id: intent.id,
      status: after.status,
      attempts,
      next_at: after.status === "pending" ? after.retryAt : null,
      failure: after.status === "succeeded" ? null : after.code,
    });
    if (after.status === "succeeded") store.post(refundPayoutPosting(ledgerPurchase(purchase), intent.amount), at);
    const refund = intent.refund_id ? store.refund(intent.refund_id) : undefined;
    if (!refund) return;
    const payouts = store.intentsOf(refund.id);
    const status = refundStatus(payouts);
    const paidBack = payouts.filter((p) => p.status === "succeeded").reduce((s, p) => s + p.amount, 0);
    store.updateRefund(refund.id, status, paidBack);
    if (status !== "pending" && refund.status === "pending") {
      store.event(`refund.${status}`, purchase.id, null, { refund: refund.id, cash_returned: paidBack }, at);
    }
    store.touch(purchase.id);
  }

  private recordCharge(intent: IntentRow, purchase: PurchaseRow, result: ChargeResult, now: Date): void {
    const { store, policy } = this.deps;
    const current = store.intent(intent.id);
    if (current?.status !== "pending") return;
    const at = now.toISOString();
    const failure = result.status === "succeeded" ? null : result.code;
    this.deps.analytics.money(
      purchase,
      failure ? "charge.declined" : "charge.succeeded",
      intent.amount,
      failure ?? undefined,
    );
    store.updateIntent({
      id: intent.id,
      status: failure ? "failed" : "succeeded",
      attempts: 1,
      next_at: null,
      failure,
    });
    if (failure) {
      store.event("purchase.payment_declined", purchase.id, intent.number, { payment: intent.kind, code: failure }, at);
      return;
    }
    const installments = store.installments(purchase.id);
    if (intent.kind === "payoff") {
      // Quoted at the intent's time: while it was pending nothing else could change the schedule.
      const quote = payOff(installments, new Date(intent.created_at));
      if (!quote.ok || quote.amount !== intent.amount)
        throw new Error(`payoff ${intent.id} no longer matches its quote`);
      // The payoff's one charge is what a later cash refund of the installments it paid refunds.
      const chargeId = "chargeId" in result ? result.chargeId : null;
      const owed = new Set(installments.filter((i) => OWED.has(i.status)).map((i) => i.number));
      for (const i of quote.installments) {
        const paidNow = owed.has(i.number) ? { charge_id: chargeId } : {};
        store.saveInstallment({ ...i, purchase_id: purchase.id, ...paidNow }, at);
      }
      store.dropActions(purchase.id);
      store.post(payoffPosting(ledgerPurchase(purchase), quote), at);
      store.event("purchase.paid_off", purchase.id, null, {}, at);
    } else {
      const installment = installments.find((i) => i.number === intent.number);
      const paid = installment && transition(installment, { type: "paid_by_customer" }, policy, now);
      if (!installment || !paid?.ok) throw new Error(`payment ${intent.id} no longer applies to its installment`);
      const after = {
        ...paid.installment,
        purchase_id: purchase.id,
        charge_id: "chargeId" in result ? result.chargeId : null,
      };
      store.saveInstallment(after, at);
      store.dropActions(purchase.id, installment.number);
      store.post(installmentPaidPosting(ledgerPurchase(purchase), installment), at);
      store.event("installment.paid", purchase.id, installment.number, {}, at);
    }
    settleStatus(store, purchase, at);
  }

  /**
   * One customer payment at a time per purchase, and nothing else changes its schedule meanwhile
   * (a refund, an extension, a write-off): the payment's quote must hold until the processor answers.
   */
  busy(purchaseId: string): Refusal<CommandErrorCode> | undefined {
    if (!this.open(purchaseId)) return undefined;
    return refuse("invalid_state", `A payment on purchase ${purchaseId} is in progress; try again once it settles.`);
  }
}
