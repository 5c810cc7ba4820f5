import { addDaysUtc, type InstalmentStatus } from "@tranche/shared";
import type { CollectionInstalment } from "./instalment";
import type { CollectionsPolicy } from "./policy";
import { type Refusal, refuse } from "./refusal";

/** Why the processor did not take the money. Only a hard decline (stolen card, closed account) ends dunning at once. */
export type ChargeFailure = "soft_decline" | "hard_decline" | "processor_error";

export type InstalmentEvent =
  /** The alarm sends the due charge or a retry to the processor. */
  | { type: "charge_started" }
  | { type: "charge_succeeded" }
  | { type: "charge_failed"; reason: ChargeFailure }
  /** The customer paid it themselves (early, in a payoff, or to recover it); the money is in. */
  | { type: "paid_by_customer" }
  | { type: "cancelled" }
  | { type: "refunded" }
  /** An operator gives up on a failed_final instalment: its debt becomes bad debt. */
  | { type: "written_off" };

/** What the caller must do next: store a timed action for the alarm, or add a late fee now. */
export type FollowUp =
  | { type: "charge"; number: number; at: string }
  | { type: "reminder"; number: number; at: string }
  | { type: "late_fee"; number: number };

export type Transition =
  | { ok: true; instalment: CollectionInstalment; followUps: FollowUp[] }
  | Refusal<"illegal_transition" | "not_due">;

/**
 * The statuses each event may leave. `failed` waits for a retry and `retrying` is that retry at
 * the processor, so the status alone says whether an attempt is in flight.
 */
const FROM: Record<InstalmentEvent["type"], readonly InstalmentStatus[]> = {
  charge_started: ["scheduled", "failed"],
  charge_succeeded: ["processing", "retrying"],
  charge_failed: ["processing", "retrying"],
  paid_by_customer: ["scheduled", "failed", "failed_final"],
  // Cancel releases an uncaptured purchase, so none of its instalments was ever charged.
  cancelled: ["scheduled"],
  // A paid instalment is refunded once all of its principal has been given back in cash.
  refunded: ["scheduled", "failed", "failed_final", "paid"],
  written_off: ["failed_final"],
};

const latest = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);

function retryAt(instalment: CollectionInstalment, policy: CollectionsPolicy): Date | null {
  const offset = policy.retry_offsets_days[instalment.attempts_failed - 1];
  return offset === undefined ? null : addDaysUtc(new Date(instalment.due_at), offset);
}

/** When the next charge attempt may run, or null when none is pending. */
export function nextChargeAt(instalment: CollectionInstalment, policy: CollectionsPolicy): Date | null {
  if (instalment.status === "scheduled") return new Date(instalment.due_at);
  if (instalment.status === "failed") return retryAt(instalment, policy);
  return null;
}

/**
 * The timed actions a scheduled instalment waits for: its reminder, unless that moment has
 * passed (the first pay-in-n part is due at capture), and its due charge. Called at capture and
 * after an extension; the new actions replace the instalment's old ones.
 */
export function plannedFollowUps(instalment: CollectionInstalment, policy: CollectionsPolicy, now: Date): FollowUp[] {
  if (instalment.status !== "scheduled") return [];
  const due = new Date(instalment.due_at);
  const remindAt = addDaysUtc(due, -policy.reminder_lead_days);
  const followUps: FollowUp[] = [];
  if (policy.reminder_lead_days > 0 && remindAt.getTime() > now.getTime()) {
    followUps.push({ type: "reminder", number: instalment.number, at: remindAt.toISOString() });
  }
  followUps.push({ type: "charge", number: instalment.number, at: latest(due, now).toISOString() });
  return followUps;
}

function chargeFailed(
  instalment: CollectionInstalment,
  reason: ChargeFailure,
  policy: CollectionsPolicy,
  now: Date,
): Transition {
  const failed = { ...instalment, attempts_failed: instalment.attempts_failed + 1 };
  const followUps: FollowUp[] = [];
  // The due-date attempt never costs a fee: the first retry is the grace period. A processor
  // error is not the customer's doing, so only a declined first retry adds the fee.
  if (instalment.attempts_failed === 1 && reason !== "processor_error") {
    followUps.push({ type: "late_fee", number: instalment.number });
  }
  const retry = reason === "hard_decline" ? null : retryAt(failed, policy);
  if (retry === null) return { ok: true, instalment: { ...failed, status: "failed_final" }, followUps };
  // A charge that ran late (the alarm lagged) retries at once rather than in the past.
  followUps.push({ type: "charge", number: instalment.number, at: latest(retry, now).toISOString() });
  return { ok: true, instalment: { ...failed, status: "failed" }, followUps };
}

const to = (instalment: CollectionInstalment, status: InstalmentStatus): Transition => ({
  ok: true,
  instalment: { ...instalment, status },
  followUps: [],
});

/**
 * The instalment state machine: `scheduled → processing → paid`, or through
 * `failed → retrying → … → paid | failed_final`. An event that does not apply, such as an alarm
 * delivered twice or one left over from before an extension, is refused and changes nothing.
 */
export function transition(
  instalment: CollectionInstalment,
  event: InstalmentEvent,
  policy: CollectionsPolicy,
  now: Date,
): Transition {
  if (!FROM[event.type].includes(instalment.status)) {
    return refuse(
      "illegal_transition",
      `instalment ${instalment.number} is ${instalment.status}, so ${event.type} does not apply`,
    );
  }
  switch (event.type) {
    case "charge_started": {
      const at = nextChargeAt(instalment, policy);
      if (at === null || now.getTime() < at.getTime()) {
        return refuse("not_due", `instalment ${instalment.number} has no charge due at ${now.toISOString()}`);
      }
      return to(instalment, instalment.status === "scheduled" ? "processing" : "retrying");
    }
    case "charge_succeeded":
    case "paid_by_customer":
      return to(instalment, "paid");
    case "charge_failed":
      return chargeFailed(instalment, event.reason, policy, now);
    case "cancelled":
      return to(instalment, "cancelled");
    case "refunded":
      return to(instalment, "refunded");
    case "written_off":
      return to(instalment, "written_off");
  }
}
