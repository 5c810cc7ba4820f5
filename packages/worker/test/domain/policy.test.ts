import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, validatePolicy } from "../../src/domain/collections";

describe("DEFAULT_POLICY", () => {
  it("documents the defaults", () => {
    expect(DEFAULT_POLICY).toEqual({
      retry_offsets_days: [1, 3, 7],
      late_fee: { amount_major: 5, cap_bps: 2_500, cap_major: 25 },
      payout_retry_hours: [1, 6, 24, 72],
      hold_days: 7,
      reminder_lead_days: 3,
      extension: { max_days: 14, max_per_installment: 1, fee_major: 0 },
    });
  });
});

describe("validatePolicy", () => {
  it("fills in every default around the overrides, nested ones included", () => {
    expect(validatePolicy({ late_fee: { cap_major: 40 }, extension: { fee_major: 2 } })).toEqual({
      ok: true,
      policy: {
        ...DEFAULT_POLICY,
        late_fee: { ...DEFAULT_POLICY.late_fee, cap_major: 40 },
        extension: { ...DEFAULT_POLICY.extension, fee_major: 2 },
      },
    });
    expect(validatePolicy(undefined)).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it("accepts no retries and no extensions", () => {
    const result = validatePolicy({ retry_offsets_days: [], extension: { max_per_installment: 0 } });
    expect(result.ok).toBe(true);
  });

  it("reports every problem at once, by path", () => {
    const result = validatePolicy({
      retry_offsets_days: [3, 1],
      late_fee: { amount_major: 2.5, cap_bps: 10_001 },
      reminder_lead_days: -1,
      extension: { max_days: 0 },
      dunning: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual([
      "",
      "extension.max_days",
      "late_fee.amount_major",
      "late_fee.cap_bps",
      "reminder_lead_days",
      "retry_offsets_days",
    ]);
  });

  it("refuses a retry offset of 0 days: the retry would run with the failed charge", () => {
    expect(validatePolicy({ retry_offsets_days: [0, 2] })).toMatchObject({
      ok: false,
      errors: [{ path: "retry_offsets_days.0" }],
    });
  });
});
