import { addDaysUtc } from "@tranche/shared";
import { extensionFee } from "./fees";
import type { CollectionInstalment } from "./instalment";
import { type FollowUp, plannedFollowUps } from "./lifecycle";
import type { CollectionsPolicy } from "./policy";
import { type Refusal, refuse } from "./refusal";

export type Extension =
  | { ok: true; instalment: CollectionInstalment; fee: number; followUps: FollowUp[] }
  | Refusal<"not_extendable" | "invalid_days" | "extension_limit_reached">;

/**
 * Moves a due date `days` later, counted from the current due date so asking early or late
 * gives the same date. Only a `scheduled` instalment can move: once its charge has run, dunning
 * owns the dates. The fee (0 by default) is added to the instalment and collected with it; the
 * returned follow-ups replace the instalment's reminder and due charge.
 */
export function extendDueDate(
  instalment: CollectionInstalment,
  days: number,
  currency: string,
  policy: CollectionsPolicy,
  now: Date,
): Extension {
  const { max_days, max_per_instalment } = policy.extension;
  if (instalment.status !== "scheduled") {
    return refuse(
      "not_extendable",
      `instalment ${instalment.number} is ${instalment.status}; only a scheduled one moves`,
    );
  }
  if (!Number.isSafeInteger(days) || days < 1 || days > max_days) {
    return refuse("invalid_days", `days must be a whole number from 1 to ${max_days}, got ${days}`);
  }
  if (instalment.extensions >= max_per_instalment) {
    return refuse(
      "extension_limit_reached",
      `instalment ${instalment.number} has used ${instalment.extensions} of ${max_per_instalment} extensions`,
    );
  }
  const fee = extensionFee(currency, policy);
  const extended: CollectionInstalment = {
    ...instalment,
    due_at: addDaysUtc(new Date(instalment.due_at), days).toISOString(),
    extensions: instalment.extensions + 1,
    extension_fees: instalment.extension_fees + fee,
  };
  return { ok: true, instalment: extended, fee, followUps: plannedFollowUps(extended, policy, now) };
}
