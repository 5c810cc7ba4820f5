import type { InstallmentStatus } from "@tranche/shared";

/**
 * Where an installment stands for the collections report and the aging of receivables. Derived
 * from its status and its dunning history alone, so D1 can keep rollups of it by due date.
 */
export type CollectionOutcome =
  /** Not part of the book: an uncaptured authorisation, a cancelled or refunded installment. */
  | "none"
  /** Owed, no charge has failed yet (scheduled, or its first charge is at the processor). */
  | "pending"
  /** Owed after at least one failed charge, still being retried. */
  | "dunning"
  /** Owed, dunning gave up (`failed_final`): failed for good unless the customer pays. */
  | "failed"
  | "written_off"
  /** Collected with no failed charge before it. */
  | "on_time"
  /** Collected after a failed charge: recovered by a dunning retry or paid by the customer afterwards. */
  | "late";

export const OUTCOMES = [
  "pending",
  "dunning",
  "failed",
  "written_off",
  "on_time",
  "late",
] as const satisfies readonly Exclude<CollectionOutcome, "none">[];

/** The outcomes whose amount is still receivable: the aging report's whole book. */
export const OWED_OUTCOMES: ReadonlySet<CollectionOutcome> = new Set(["pending", "dunning", "failed"]);

const BY_STATUS: Record<InstallmentStatus, (failedBefore: boolean) => CollectionOutcome> = {
  scheduled: (failed) => (failed ? "dunning" : "pending"),
  processing: (failed) => (failed ? "dunning" : "pending"),
  failed: () => "dunning",
  retrying: () => "dunning",
  failed_final: () => "failed",
  written_off: () => "written_off",
  paid: (failed) => (failed ? "late" : "on_time"),
  cancelled: () => "none",
  refunded: () => "none",
};

export function collectionOutcome(
  installment: { status: InstallmentStatus; attempts_failed: number },
  captured: boolean,
): CollectionOutcome {
  return captured ? BY_STATUS[installment.status](installment.attempts_failed > 0) : "none";
}
