import type { Installment, InstallmentStatus, ScheduledInstallment } from "@tranche/shared";

/**
 * An installment as collections sees it: the API shape plus what dunning, fees, extensions and
 * refunds must remember between commands. While it is owed, `amount`, `principal` and `interest`
 * are what is still to be collected (a partial refund or a payoff lowers them); once paid, what
 * was collected; once refunded, what the refund took away.
 */
/** `fees` of the API shape is derived here, from `late_fee` and `extension_fees`; `paid_at` and `attempts` are read from the history (objects/customer/storage/purchase-history.ts). */
export interface CollectionInstallment extends Omit<Installment, "fees" | "paid_at" | "attempts"> {
  /** Failed charge attempts so far; it picks the next dunning offset. */
  attempts_failed: number;
  /** Added when the first retry is declined, collected with the installment. */
  late_fee: number;
  /** Added by due-date extensions, collected with the installment. */
  extension_fees: number;
  extensions: number;
  /** Principal given back in cash after the installment was paid. */
  cash_refunded: number;
}

/** Installments still owed. `failed_final` stays owed: dunning gave up, but the customer may still pay. */
export const OWED: ReadonlySet<InstallmentStatus> = new Set([
  "scheduled",
  "processing",
  "failed",
  "retrying",
  "failed_final",
]);

/** A charge is at the processor and its outcome is unknown, so nothing may change the amount meanwhile. */
export const IN_FLIGHT: ReadonlySet<InstallmentStatus> = new Set(["processing", "retrying"]);

export function fromSchedule(rows: readonly ScheduledInstallment[]): CollectionInstallment[] {
  return rows.map((row) => ({
    ...row,
    status: "scheduled",
    attempts_failed: 0,
    late_fee: 0,
    extension_fees: 0,
    extensions: 0,
    cash_refunded: 0,
  }));
}

export function fees(installment: Pick<CollectionInstallment, "late_fee" | "extension_fees">): number {
  return installment.late_fee + installment.extension_fees;
}

/** What a charge of this installment collects: fees ride along with the installment they were added to. */
export function chargeAmount(
  installment: Pick<CollectionInstallment, "amount" | "late_fee" | "extension_fees">,
): number {
  return installment.amount + fees(installment);
}

export function amountOwed(installment: CollectionInstallment): number {
  return OWED.has(installment.status) ? chargeAmount(installment) : 0;
}
