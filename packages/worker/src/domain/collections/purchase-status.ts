import type { InstallmentStatus, PurchaseStatus } from "@tranche/shared";
import type { HoldStatus } from "../purchases/holds";
import { OWED } from "./installment";

/**
 * A purchase's status follows from its installments, so it can never disagree with them. The
 * checks run in order: a delinquent purchase whose failed installment is later paid (or refunded
 * away) becomes active or completed again by itself.
 */
export function deriveStatus(
  purchase: { captured_at: string | null },
  installments: readonly { status: InstallmentStatus }[],
  /** A manual capture's hold: what ended an uncaptured purchase, if it was not a cancel. */
  hold?: { status: HoldStatus },
): PurchaseStatus {
  const all = (status: InstallmentStatus) => installments.every((i) => i.status === status);
  // Cancelled before capture, or at capture because the charge due then was declined.
  if (all("cancelled")) return purchase.captured_at === null ? uncapturedEnd(hold) : "declined";
  if (purchase.captured_at === null) return "requires_capture";
  if (all("refunded")) return "refunded";
  if (installments.some((i) => i.status === "failed_final")) return "delinquent";
  const settled = !installments.some((i) => OWED.has(i.status));
  if (settled && installments.some((i) => i.status === "written_off")) return "written_off";
  if (settled) return "completed";
  return "active";
}

/** How an uncaptured purchase ended: its authorisation refused, its hold period over, or a cancel. */
function uncapturedEnd(hold: { status: HoldStatus } | undefined): PurchaseStatus {
  if (hold?.status === "declined") return "declined";
  return hold?.status === "expired" ? "expired" : "cancelled";
}
