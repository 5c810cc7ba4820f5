import type { Authorization } from "@tranche/shared";

const DAY_MS = 86_400_000;

/**
 * A manual capture's hold as the customer object keeps it. `authorising`, `capturing` and
 * `voiding` have a processor call committed and not yet answered; `lapsed` is a hold the processor
 * let go while its purchase may still be captured (a capture then charges afresh); `expired` is a
 * purchase whose hold period ended uncaptured.
 */
export type HoldStatus =
  | "authorising"
  | "held"
  | "declined"
  | "capturing"
  | "captured"
  | "voiding"
  | "voided"
  | "lapsed"
  | "expired";

export interface HoldTimes {
  status: HoldStatus;
  /** When the hold lapses: null until authorised. */
  expires_at: string | null;
  /** When the hold period ends: an uncaptured purchase expires then. */
  ends_at: string;
}

/** What a manual capture authorises at creation: the installment that falls due at capture, if any. */
export function heldAtCapture<I extends { number: number; amount: number; due_at: string }>(
  installments: readonly I[],
  capturedAt: string,
): I | undefined {
  return installments.find((i) => i.due_at <= capturedAt);
}

/** The end of the hold period that starts at `createdAt`. */
export function holdPeriodEnd(createdAt: string, holdDays: number): string {
  return new Date(Date.parse(createdAt) + holdDays * DAY_MS).toISOString();
}

/** A hold never outlives the processor's limit: the period's end, or the processor's expiry if sooner. */
export function holdExpiry(periodEnd: string, processorExpiresAt: string): string {
  return processorExpiresAt < periodEnd ? processorExpiresAt : periodEnd;
}

/**
 * What the alarm does with a hold at `now`: send the call it has committed (`authorise`, `capture`,
 * `void`); note a hold the processor let go (`lapse`); end an uncaptured purchase whose period is
 * over, releasing its hold first if one is still kept (`release`) or not (`expire`); or nothing.
 * A pending authorisation is given up once the period is over: nothing was held long enough.
 */
export type HoldStep = "authorise" | "capture" | "void" | "lapse" | "release" | "expire" | "wait" | "done";

export function holdStep(hold: HoldTimes, now: string): HoldStep {
  const over = now >= hold.ends_at;
  switch (hold.status) {
    case "authorising":
      return over ? "expire" : "authorise";
    case "capturing":
      return "capture";
    case "voiding":
      return "void";
    case "held":
      if (over) return "release";
      return hold.expires_at !== null && now >= hold.expires_at ? "lapse" : "wait";
    case "lapsed":
      return over ? "expire" : "wait";
    default:
      return "done";
  }
}

/** When the alarm next looks at a hold that waits: when it lapses or its period ends. */
export function holdWakeAt(hold: HoldTimes): string | undefined {
  if (hold.status === "lapsed") return hold.ends_at;
  if (hold.status !== "held") return undefined;
  return hold.expires_at === null ? hold.ends_at : holdExpiry(hold.ends_at, hold.expires_at);
}

/** The hold as the API shows it: while a capture or a release is unanswered, the money is still held. */
export const AUTHORIZATION_STATUS: Record<HoldStatus, Authorization["status"]> = {
  authorising: "pending",
  held: "held",
  capturing: "held",
  voiding: "held",
  declined: "declined",
  captured: "captured",
  voided: "voided",
  lapsed: "expired",
  expired: "expired",
};
