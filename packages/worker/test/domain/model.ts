import { buildSchedule, type Plan } from "@tranche/shared";
import {
  allocateRefund,
  assessLateFee,
  type ChargeFailure,
  type CollectionInstallment,
  type CollectionsPolicy,
  capturePosting,
  extendDueDate,
  type FollowUp,
  feePosting,
  fromSchedule,
  installmentPaidPosting,
  type LedgerPurchase,
  OWED,
  type Posting,
  payOff,
  payoffPosting,
  plannedFollowUps,
  refundPayoutPosting,
  refundPosting,
  transition,
} from "../../src/domain/collections";

export type Outcome = "succeeded" | ChargeFailure;

export interface PurchaseSpec {
  amount: number;
  currency: string;
  plan: Plan;
  capture: "automatic" | "manual";
}

export interface Held {
  spec: PurchaseSpec;
  purchase: LedgerPurchase;
  captured_at: string | null;
  cancelled: boolean;
  installments: CollectionInstallment[];
  /** Merchant price refunded so far. */
  refunded: number;
}

type Timed = Extract<FollowUp, { at: string }>;

/** The model only sends events the rules allow, so a refusal here is a bug in the model. */
function must<T extends { ok: boolean; detail?: string }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`model bug: ${result.detail}`);
  return result as Extract<T, { ok: true }>;
}

/**
 * The customer object in miniature: it holds purchases, runs timed actions in order as the alarm
 * would, and writes postings, using nothing but the collections rules. This is the wiring the
 * Durable Object will get, small enough to check every invariant after every step.
 */
export class CustomerModel {
  readonly postings: Posting[] = [];
  readonly held = new Map<string, Held>();
  /** Successful collections per `purchase:number`, to prove none is paid twice. */
  readonly collections = new Map<string, number>();
  /** Timed actions by `purchase:number:type`: a new plan for an installment replaces its old one. */
  private readonly pending = new Map<string, { purchaseId: string; action: Timed }>();
  private drawn = 0;

  constructor(
    readonly policy: CollectionsPolicy,
    public now: Date,
    private readonly outcomes: readonly Outcome[],
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  create(id: string, spec: PurchaseSpec): void {
    const schedule = buildSchedule({ ...spec, anchor: this.now });
    this.held.set(id, {
      spec,
      purchase: {
        id,
        currency: spec.currency,
        amount: spec.amount,
        interest_total: schedule.interest_total,
        total: schedule.total,
      },
      captured_at: null,
      cancelled: false,
      installments: fromSchedule(schedule.installments),
      refunded: 0,
    });
    if (spec.capture === "automatic") this.capture(id);
  }

  /** Capture re-anchors the provisional schedule at the capture time, as the API documents. */
  capture(id: string): boolean {
    const held = this.get(id);
    if (held.captured_at !== null || held.cancelled) return false;
    const schedule = buildSchedule({ ...held.spec, anchor: this.now });
    held.captured_at = this.now.toISOString();
    held.installments = fromSchedule(schedule.installments);
    this.postings.push(capturePosting(held.purchase));
    for (const installment of held.installments)
      this.follow(held, plannedFollowUps(installment, this.policy, this.now));
    return true;
  }

  cancel(id: string): boolean {
    const held = this.get(id);
    if (held.captured_at !== null || held.cancelled) return false;
    held.cancelled = true;
    held.installments = held.installments.map(
      (i) => must(transition(i, { type: "cancelled" }, this.policy, this.now)).installment,
    );
    return true;
  }

  /** Runs every timed action up to `now + ms`, earliest first, like advance_clock. */
  advance(ms: number): void {
    const until = this.now.getTime() + ms;
    for (;;) {
      const [key, next] = [...this.pending].sort(([, a], [, b]) => a.action.at.localeCompare(b.action.at))[0] ?? [];
      if (!key || !next || Date.parse(next.action.at) > until) break;
      this.pending.delete(key);
      this.now = new Date(Math.max(this.now.getTime(), Date.parse(next.action.at)));
      if (next.action.type === "charge") this.charge(this.get(next.purchaseId), next.action.number);
    }
    this.now = new Date(until);
  }

  payInstallment(id: string, number: number): boolean {
    const held = this.get(id);
    if (held.captured_at === null) return false;
    const installment = this.installment(held, number);
    const paid = transition(installment, { type: "paid_by_customer" }, this.policy, this.now);
    if (!paid.ok) return false;
    this.collected(held, installment);
    this.replace(held, paid.installment);
    return true;
  }

  payOff(id: string): boolean {
    const held = this.get(id);
    if (held.captured_at === null) return false;
    const payoff = payOff(held.installments, this.now);
    if (!payoff.ok) return false;
    for (const i of held.installments.filter((i) => OWED.has(i.status))) this.count(held, i.number);
    this.postings.push(payoffPosting(held.purchase, payoff));
    held.installments = payoff.installments;
    return true;
  }

  refund(id: string, amount: number) {
    const held = this.get(id);
    if (held.captured_at === null) return { ok: false as const, code: "not_captured" };
    const refund = allocateRefund(held.installments, amount);
    if (!refund.ok) return refund;
    this.postings.push(refundPosting(held.purchase, refund));
    // In the model the processor pays the customer out at once; the Durable Object posts this on its confirmation.
    if (refund.cash > 0) this.postings.push(refundPayoutPosting(held.purchase, refund.cash));
    held.refunded += amount;
    held.installments = refund.installments;
    return refund;
  }

  extend(id: string, number: number, days: number): boolean {
    const held = this.get(id);
    if (held.captured_at === null) return false;
    const extension = extendDueDate(
      this.installment(held, number),
      days,
      held.purchase.currency,
      this.policy,
      this.now,
    );
    if (!extension.ok) return false;
    this.replace(held, extension.installment);
    if (extension.fee > 0) this.postings.push(feePosting(held.purchase, "extension_fee", extension.fee));
    for (const type of ["charge", "reminder"]) this.pending.delete(`${id}:${number}:${type}`);
    this.follow(held, extension.followUps);
    return true;
  }

  /** Plays the sequence to its end: uncaptured authorisations lapse, and every pending action runs. */
  finish(): void {
    for (const id of this.held.keys()) this.cancel(id);
    for (let round = 0; this.pending.size > 0; round++) {
      if (round > 100) throw new Error("pending actions never drain");
      this.advance(365 * 86_400_000);
    }
  }

  private charge(held: Held, number: number): void {
    const installment = this.installment(held, number);
    const started = transition(installment, { type: "charge_started" }, this.policy, this.now);
    // A stale action (paid early, refunded away, already retried) is refused and changes nothing.
    if (!started.ok) return;
    const outcome = this.outcomes[this.drawn++ % this.outcomes.length] ?? "succeeded";
    const event =
      outcome === "succeeded"
        ? { type: "charge_succeeded" as const }
        : { type: "charge_failed" as const, reason: outcome };
    const settled = must(transition(started.installment, event, this.policy, this.now));
    if (outcome === "succeeded") this.collected(held, started.installment);
    this.replace(held, settled.installment);
    this.follow(held, settled.followUps);
  }

  private follow(held: Held, followUps: readonly FollowUp[]): void {
    for (const followUp of followUps) {
      if (followUp.type === "late_fee") {
        const assessed = assessLateFee(held.purchase, held.installments, followUp.number, this.policy);
        held.installments = assessed.installments;
        if (assessed.fee > 0) this.postings.push(feePosting(held.purchase, "late_fee", assessed.fee));
      } else {
        this.pending.set(`${held.purchase.id}:${followUp.number}:${followUp.type}`, {
          purchaseId: held.purchase.id,
          action: followUp,
        });
      }
    }
  }

  private collected(held: Held, installment: CollectionInstallment): void {
    this.postings.push(installmentPaidPosting(held.purchase, installment));
    this.count(held, installment.number);
  }

  private count(held: Held, number: number): void {
    const key = `${held.purchase.id}:${number}`;
    this.collections.set(key, (this.collections.get(key) ?? 0) + 1);
  }

  private replace(held: Held, installment: CollectionInstallment): void {
    held.installments = held.installments.map((i) => (i.number === installment.number ? installment : i));
  }

  private installment(held: Held, number: number): CollectionInstallment {
    const installment = held.installments.find((i) => i.number === number);
    if (!installment) throw new Error(`no installment ${number}`);
    return installment;
  }

  private get(id: string): Held {
    const held = this.held.get(id);
    if (!held) throw new Error(`no purchase ${id}`);
    return held;
  }
}
