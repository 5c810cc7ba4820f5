import type { InstallmentStatus } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { deriveStatus } from "../../src/domain/collections";

const capturedAt = { captured_at: "2026-03-01T09:00:00.000Z" };
const of = (...statuses: InstallmentStatus[]) => statuses.map((status) => ({ status }));

describe("deriveStatus", () => {
  it.each([
    ["requires_capture", { captured_at: null }, of("scheduled", "scheduled")],
    ["cancelled", { captured_at: null }, of("cancelled", "cancelled")],
    ["active", capturedAt, of("paid", "scheduled")],
    ["active", capturedAt, of("paid", "retrying", "scheduled")],
    ["delinquent", capturedAt, of("paid", "failed_final", "scheduled")],
    ["completed", capturedAt, of("paid", "paid")],
    ["completed", capturedAt, of("paid", "refunded")],
    ["refunded", capturedAt, of("refunded", "refunded")],
  ] as const)("%s for %j with %j", (status, purchase, installments) => {
    expect(deriveStatus(purchase, installments)).toBe(status);
  });

  it("a delinquent purchase recovers when its failed_final installment is paid", () => {
    expect(deriveStatus(capturedAt, of("paid", "failed_final"))).toBe("delinquent");
    expect(deriveStatus(capturedAt, of("paid", "paid"))).toBe("completed");
    expect(deriveStatus(capturedAt, of("failed_final", "scheduled"))).toBe("delinquent");
    expect(deriveStatus(capturedAt, of("paid", "scheduled"))).toBe("active");
  });
});
