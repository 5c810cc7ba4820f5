import type { InstallmentStatus, PurchaseStatus } from "@tranche/shared";
import { OWED } from "./installment";

/**
 * A purchase's status follows from its installments, so it can never disagree with them. The
 * checks run in order: a delinquent purchase whose failed installment is later paid (or refunded
 * away) becomes active or completed again by itself.
 */
export function deriveStatus(
  purchase: { captured_at: string | null },
  installments: readonly { status: InstallmentStatus }[],
): PurchaseStatus {
  const all = (status: InstallmentStatus) => installments.every((i) => i.status === status);
  // Cancelled before capture, or at capture because the charge due then was declined.
  if (all("cancelled")) return purchase.captured_at === null ? "cancelled" : "declined";
  if (purchase.captured_at === null) return "requires_capture";
  if (all("refunded")) return "refunded";
  if (installments.some((i) => i.status === "failed_final")) return "delinquent";
  const settled = !installments.some((i) => OWED.has(i.status));
  if (settled && installments.some((i) => i.status === "written_off")) return "written_off";
  if (settled) return "completed";
  return "active";
}
