import type { Instalment, InstalmentStatus, ScheduledInstalment } from "@tranche/shared";

/**
 * An instalment as collections sees it: the API shape plus what dunning, fees, extensions and
 * refunds must remember between commands. While it is owed, `amount`, `principal` and `interest`
 * are what is still to be collected (a partial refund or a payoff lowers them); once paid, what
 * was collected; once refunded, what the refund took away.
 */
/** `fees` of the API shape is derived here, from `late_fee` and `extension_fees`. */
export interface CollectionInstalment extends Omit<Instalment, "fees"> {
  /** Failed charge attempts so far; it picks the next dunning offset. */
  attempts_failed: number;
  /** Added when the first retry is declined, collected with the instalment. */
  late_fee: number;
  /** Added by due-date extensions, collected with the instalment. */
  extension_fees: number;
  extensions: number;
  /** Principal given back in cash after the instalment was paid. */
  cash_refunded: number;
}

/** Instalments still owed. `failed_final` stays owed: dunning gave up, but the customer may still pay. */
export const OWED: ReadonlySet<InstalmentStatus> = new Set([
  "scheduled",
  "processing",
  "failed",
  "retrying",
  "failed_final",
]);

/** A charge is at the processor and its outcome is unknown, so nothing may change the amount meanwhile. */
export const IN_FLIGHT: ReadonlySet<InstalmentStatus> = new Set(["processing", "retrying"]);

export function fromSchedule(rows: readonly ScheduledInstalment[]): CollectionInstalment[] {
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

export function fees(instalment: Pick<CollectionInstalment, "late_fee" | "extension_fees">): number {
  return instalment.late_fee + instalment.extension_fees;
}

/** What a charge of this instalment collects: fees ride along with the instalment they were added to. */
export function chargeAmount(instalment: Pick<CollectionInstalment, "amount" | "late_fee" | "extension_fees">): number {
  return instalment.amount + fees(instalment);
}

export function amountOwed(instalment: CollectionInstalment): number {
  return OWED.has(instalment.status) ? chargeAmount(instalment) : 0;
}
