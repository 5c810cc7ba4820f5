import { addDaysUtc } from "@tranche/shared";
import { extensionFee } from "./fees";
import type { CollectionInstallment } from "./installment";
import { type FollowUp, plannedFollowUps } from "./lifecycle";
import type { CollectionsPolicy } from "./policy";
import { type Refusal, refuse } from "./refusal";

export type Extension =
  | { ok: true; installment: CollectionInstallment; fee: number; followUps: FollowUp[] }
  | Refusal<"not_extendable" | "invalid_days" | "extension_limit_reached">;

/**
 * Moves a due date `days` later, counted from the current due date so asking early or late
 * gives the same date. Only a `scheduled` installment can move: once its charge has run, dunning
 * owns the dates. The fee (0 by default) is added to the installment and collected with it; the
 * returned follow-ups replace the installment's reminder and due charge.
 */
export function extendDueDate(
  installment: CollectionInstallment,
  days: number,
  currency: string,
  policy: CollectionsPolicy,
  now: Date,
): Extension {
  const { max_days, max_per_installment } = policy.extension;
  if (installment.status !== "scheduled") {
    return refuse(
      "not_extendable",
      `installment ${installment.number} is ${installment.status}; only a scheduled one moves`,
    );
  }
  if (!Number.isSafeInteger(days) || days < 1 || days > max_days) {
    return refuse("invalid_days", `days must be a whole number from 1 to ${max_days}, got ${days}`);
  }
  if (installment.extensions >= max_per_installment) {
    return refuse(
      "extension_limit_reached",
      `installment ${installment.number} has used ${installment.extensions} of ${max_per_installment} extensions`,
    );
  }
  const fee = extensionFee(currency, policy);
  const extended: CollectionInstallment = {
    ...installment,
    due_at: addDaysUtc(new Date(installment.due_at), days).toISOString(),
    extensions: installment.extensions + 1,
    extension_fees: installment.extension_fees + fee,
  };
  return { ok: true, installment: extended, fee, followUps: plannedFollowUps(extended, policy, now) };
}
