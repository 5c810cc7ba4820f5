import { type Refusal, refuse } from "../../../domain/collections/refusal";
import { childTraceparent, workTrace } from "../../../lib/trace";
import type { ChargeResult, RefundResult } from "../../../processor/port";
import type { CommandErrorCode } from "../commands";
import type { Context } from "../context";
import type { IntentRow, PurchaseRow, RefundRow } from "../storage/rows";
import { recordDueCharge } from "./due-charge-outcome";
import { recordPayment } from "./payment-outcome";
import { recordPayout } from "./payout-outcome";

/** How long a command has to make its own call before the alarm takes the intent over. */
export const INTENT_GRACE_MS = 60_000;

/** A new intent, its key fixed; the alarm takes it over if its command has not sent it within the grace. */
export function pendingIntent(
  key: string,
  kind: IntentRow["kind"],
  purchaseId: string,
  amount: number,
  at: string,
): IntentRow {
  return {
    id: key,
    kind,
    purchase_id: purchaseId,
    number: null,
    refund_id: null,
    charge_id: null,
    processor_key: key,
    amount,
    status: "pending",
    attempts: 0,
    next_at: new Date(Date.parse(at) + INTENT_GRACE_MS).toISOString(),
    failure: null,
    created_at: at,
  };
}

type ChargeKind = Exclude<IntentRow["kind"], "payout">;

/** Who records a charge's outcome, by its kind; each closes the intent first (close-charge.ts), or leaves it in flight. */
const RECORD_CHARGE: Record<ChargeKind, typeof recordPayment> = {
  pay_now: recordPayment,
  payoff: recordPayment,
  due_charge: recordDueCharge,
};

/**
 * Money moved through the processor: due charges on the schedule, pay now, payoff and the
 * payouts of cash refunds. Every call is an intent first (storage/rows.ts `IntentRow`): the
 * command commits it, with its processor key fixed, together with its own record; then the intent
 * is resolved: `send` makes the call and records the outcome. Whoever finds a pending intent (the
 * command, a retry of it, the alarm) sends that same request, so a key never changes and nothing
 * moves twice.
 */
export class Intents {
  /** Intents whose call is awaited in this instance: the alarm leaves them to their command. */
  private readonly sending = new Set<string>();

  constructor(private readonly ctx: Context) {}

  /** Resolves every pending payout of a refund (unless already being sent here) and returns the refund. */
  async resolveRefund(refundId: string): Promise<RefundRow | undefined> {
    for (const intent of this.ctx.store.intentsOf(refundId)) {
      if (intent.status === "pending") await this.send(intent, this.ctx.clock.now());
    }
    return this.ctx.store.refund(refundId);
  }

  /** Resolves a pending intent (unless already being sent here): sends it, and returns it as it ended. */
  async resolve(intentId: string): Promise<IntentRow | undefined> {
    const intent = this.ctx.store.intent(intentId);
    if (intent?.status === "pending") await this.send(intent, this.ctx.clock.now());
    return this.ctx.store.intent(intentId);
  }

  /**
   * The charge still pending on a purchase (a due charge, pay now or a payoff), if any: one at a
   * time, and while it is open nothing else changes the purchase's schedule (`busy`). A pending
   * payout is not one: the refund it pays already changed the schedule, and its retries may
   * take days.
   */
  open(purchaseId: string): IntentRow | undefined {
    return this.ctx.store.pendingIntents(purchaseId).find((i) => i.kind !== "payout");
  }

  isSending(intentId: string): boolean {
    return this.sending.has(intentId);
  }

  sendingAny(): boolean {
    return this.sending.size > 0;
  }

  /** Intents due by `until` that no command here is sending: left by an eviction, or payouts to retry. */
  due(until: string): IntentRow[] {
    return this.ctx.store.dueIntents(until).filter((i) => !this.sending.has(i.id));
  }

  /** Makes the intent's call and records its outcome; `at` is the time the outcome is recorded at. */
  async send(intent: IntentRow, at: Date): Promise<void> {
    if (this.sending.has(intent.id)) return;
    const { store, faults } = this.ctx;
    const purchase = store.purchase(intent.purchase_id);
    if (!purchase) return;
    this.sending.add(intent.id);
    try {
      faults.at(`${intent.kind}:before`);
      if (intent.kind === "payout") {
        const result = await this.payout(intent, purchase);
        faults.at(`${intent.kind}:after`);
        store.transact(() => recordPayout(this.ctx, intent, purchase, result, at));
      } else {
        this.ctx.money.money(purchase, "charge.attempted", intent.amount);
        const result = await this.charge(intent, purchase);
        faults.at(`${intent.kind}:after`);
        const record = RECORD_CHARGE[intent.kind];
        store.transact(() => record(this.ctx, intent, purchase, result, at));
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
    return this.ctx.processor.refund({
      idempotencyKey: intent.processor_key,
      chargeId: intent.charge_id,
      amount: intent.amount,
      currency: purchase.currency,
      traceparent: childTraceparent(workTrace(purchase.trace_id)),
    });
  }

  private charge(intent: IntentRow, purchase: PurchaseRow): Promise<ChargeResult> {
    const token = this.ctx.store.paymentMethodToken(purchase.payment_method);
    if (!token) {
      const missing = { status: "declined", retryable: false, code: "payment_method_missing", message: "" } as const;
      return Promise.resolve(missing);
    }
    return this.ctx.processor.charge({
      idempotencyKey: intent.processor_key,
      paymentMethod: { id: purchase.payment_method, token },
      amount: intent.amount,
      currency: purchase.currency,
      traceparent: childTraceparent(workTrace(purchase.trace_id)),
    });
  }

  /**
   * The one check every change to a purchase's schedule makes (pay now, payoff, a refund, an
   * extension, a write-off; the alarm's due charges and late fees wait alike, runner.ts): one
   * charge at a time, and its price must hold until the processor answers.
   */
  busy(purchaseId: string): Refusal<CommandErrorCode> | undefined {
    if (!this.open(purchaseId)) return undefined;
    return refuse(
      "invalid_state",
      `A payment on purchase ${purchaseId} is in progress; try again once the processor has answered.`,
    );
  }
}
