import type { CollectionsPolicy } from "./policy";

/**
 * Money the customer is owed back (a cash refund) goes out through the processor as one payout
 * per paid installment it comes from. A payout the processor could not make is tried again on
 * the policy's calendar under the same key, so at most one of its attempts ever pays.
 */
export type PayoutStatus = "pending" | "succeeded" | "failed";

/** How an attempt ended, as far as the rules care. */
export type PayoutAttempt = { status: "succeeded" } | { status: "failed"; retryable: boolean; code: string };

export type AfterAttempt =
  | { status: "succeeded" }
  | { status: "pending"; retryAt: string; code: string }
  | { status: "failed"; code: string };

/**
 * What becomes of a payout after its `attempts`-th attempt (1 for the first). A final refusal
 * (the card was closed, the charge is gone) ends it at once; a retryable one waits for the next
 * retry hour counted from `since` (the refund), never earlier than `now`.
 */
export function afterPayoutAttempt(
  attempt: PayoutAttempt,
  attempts: number,
  since: Date,
  policy: CollectionsPolicy,
  now: Date,
): AfterAttempt {
  if (attempt.status === "succeeded") return { status: "succeeded" };
  const hours = policy.payout_retry_hours[attempts - 1];
  if (!attempt.retryable || hours === undefined) return { status: "failed", code: attempt.code };
  const at = Math.max(since.getTime() + hours * 3_600_000, now.getTime());
  return { status: "pending", retryAt: new Date(at).toISOString(), code: attempt.code };
}

/** A refund is pending while any payout is, failed if any payout failed, succeeded otherwise. */
export function refundStatus(payouts: readonly { status: PayoutStatus }[]): PayoutStatus {
  if (payouts.some((p) => p.status === "pending")) return "pending";
  return payouts.some((p) => p.status === "failed") ? "failed" : "succeeded";
}
