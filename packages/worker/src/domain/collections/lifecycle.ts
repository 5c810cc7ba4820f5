import { addDaysUtc, type InstallmentStatus } from "@tranche/shared";
import type { CollectionInstallment } from "./installment";
import type { CollectionsPolicy } from "./policy";
import { type Refusal, refuse } from "./refusal";

/** Why the processor did not take the money. Only a hard decline (stolen card, closed account) ends dunning at once. */
export type ChargeFailure = "soft_decline" | "hard_decline" | "processor_error";

export type InstallmentEvent =
  /** The alarm sends the due charge or a retry to the processor. */
  | { type: "charge_started" }
  | { type: "charge_succeeded" }
  /** A hold's capture took nothing (the processor no longer kept it): the installment is charged afresh. */
  | { type: "hold_lapsed" }
  | { type: "charge_failed"; reason: ChargeFailure }
  /** The customer paid it themselves (early, in a payoff, or to recover it); the money is in. */
  | { type: "paid_by_customer" }
  | { type: "cancelled" }
  | { type: "refunded" }
  /** An operator gives up on a failed_final installment: its debt becomes bad debt. */
  | { type: "written_off" };

/** What the caller must do next: store a timed action for the alarm, or add a late fee now. */
export type FollowUp =
  | { type: "charge"; number: number; at: string }
  | { type: "reminder"; number: number; at: string }
  | { type: "late_fee"; number: number };

export type Transition =
  | { ok: true; installment: CollectionInstallment; followUps: FollowUp[] }
  | Refusal<"illegal_transition" | "not_due">;

/**
 * The statuses each event may leave. `failed` waits for a retry and `retrying` is that retry at
 * the processor, so the status alone says whether an attempt is in flight.
 */
const FROM: Record<InstallmentEvent["type"], readonly InstallmentStatus[]> = {
  charge_started: ["scheduled", "failed"],
  charge_succeeded: ["processing", "retrying"],
  hold_lapsed: ["processing"],
  charge_failed: ["processing", "retrying"],
  paid_by_customer: ["scheduled", "failed", "failed_final"],
  // Cancel releases an uncaptured purchase, so none of its installments was ever charged.
  cancelled: ["scheduled"],
  // A paid installment is refunded once all of its principal has been given back in cash.
  refunded: ["scheduled", "failed", "failed_final", "paid"],
  written_off: ["failed_final"],
};

const latest = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);

function retryAt(installment: CollectionInstallment, policy: CollectionsPolicy): Date | null {
  const offset = policy.retry_offsets_days[installment.attempts_failed - 1];
  return offset === undefined ? null : addDaysUtc(new Date(installment.due_at), offset);
}

/** When the next charge attempt may run, or null when none is pending. */
export function nextChargeAt(installment: CollectionInstallment, policy: CollectionsPolicy): Date | null {
  if (installment.status === "scheduled") return new Date(installment.due_at);
  if (installment.status === "failed") return retryAt(installment, policy);
  return null;
}

/**
 * The timed actions a scheduled installment waits for: its reminder, unless that moment has
 * passed (the first pay-in-n part is due at capture), and its due charge. Called at capture and
 * after an extension; the new actions replace the installment's old ones.
 */
export function plannedFollowUps(installment: CollectionInstallment, policy: CollectionsPolicy, now: Date): FollowUp[] {
  if (installment.status !== "scheduled") return [];
  const due = new Date(installment.due_at);
  const remindAt = addDaysUtc(due, -policy.reminder_lead_days);
  const followUps: FollowUp[] = [];
  if (policy.reminder_lead_days > 0 && remindAt.getTime() > now.getTime()) {
    followUps.push({ type: "reminder", number: installment.number, at: remindAt.toISOString() });
  }
  followUps.push({ type: "charge", number: installment.number, at: latest(due, now).toISOString() });
  return followUps;
}

function chargeFailed(
  installment: CollectionInstallment,
  reason: ChargeFailure,
  policy: CollectionsPolicy,
  now: Date,
): Transition {
  const failed = { ...installment, attempts_failed: installment.attempts_failed + 1 };
  const followUps: FollowUp[] = [];
  // The due-date attempt never costs a fee: the first retry is the grace period. A processor
  // error is not the customer's doing, so only a declined first retry adds the fee.
  if (installment.attempts_failed === 1 && reason !== "processor_error") {
    followUps.push({ type: "late_fee", number: installment.number });
  }
  const retry = reason === "hard_decline" ? null : retryAt(failed, policy);
  if (retry === null) return { ok: true, installment: { ...failed, status: "failed_final" }, followUps };
  // A charge that ran late (the alarm lagged) retries at once rather than in the past.
  followUps.push({ type: "charge", number: installment.number, at: latest(retry, now).toISOString() });
  return { ok: true, installment: { ...failed, status: "failed" }, followUps };
}

const to = (installment: CollectionInstallment, status: InstallmentStatus): Transition => ({
  ok: true,
  installment: { ...installment, status },
  followUps: [],
});

/**
 * The installment state machine: `scheduled → processing → paid`, or through
 * `failed → retrying → … → paid | failed_final`. An event that does not apply, such as an alarm
 * delivered twice or one left over from before an extension, is refused and changes nothing.
 */
export function transition(
  installment: CollectionInstallment,
  event: InstallmentEvent,
  policy: CollectionsPolicy,
  now: Date,
): Transition {
  if (!FROM[event.type].includes(installment.status)) {
    return refuse(
      "illegal_transition",
      `installment ${installment.number} is ${installment.status}, so ${event.type} does not apply`,
    );
  }
  switch (event.type) {
    case "charge_started": {
      const at = nextChargeAt(installment, policy);
      if (at === null || now.getTime() < at.getTime()) {
        return refuse("not_due", `installment ${installment.number} has no charge due at ${now.toISOString()}`);
      }
      return to(installment, installment.status === "scheduled" ? "processing" : "retrying");
    }
    case "charge_succeeded":
    case "paid_by_customer":
      return to(installment, "paid");
    case "charge_failed":
      return chargeFailed(installment, event.reason, policy, now);
    case "hold_lapsed":
      return to(installment, "scheduled");
    case "cancelled":
      return to(installment, "cancelled");
    case "refunded":
      return to(installment, "refunded");
    case "written_off":
      return to(installment, "written_off");
  }
}
