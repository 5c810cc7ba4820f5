import type { InstalmentStatus, PurchaseStatus } from "@tranche/shared";
import { OWED } from "./instalment";

/**
 * A purchase's status follows from its instalments, so it can never disagree with them. The
 * checks run in order: a delinquent purchase whose failed instalment is later paid (or refunded
 * away) becomes active or completed again by itself.
 */
export function deriveStatus(
  purchase: { captured_at: string | null },
  instalments: readonly { status: InstalmentStatus }[],
): PurchaseStatus {
  const all = (status: InstalmentStatus) => instalments.every((i) => i.status === status);
  if (all("cancelled")) return "cancelled";
  if (purchase.captured_at === null) return "requires_capture";
  if (all("refunded")) return "refunded";
  if (instalments.some((i) => i.status === "failed_final")) return "delinquent";
  const settled = !instalments.some((i) => OWED.has(i.status));
  if (settled && instalments.some((i) => i.status === "written_off")) return "written_off";
  if (settled) return "completed";
  return "active";
}
