import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, extendDueDate } from "../../src/domain/collections";
import { at, CAPTURED_AT, captured, daysAfter } from "./fixtures";

const policy = DEFAULT_POLICY;
const installment = at(captured(10_000, "EUR", { type: "pay_later", days: 30 }).installments, 1);

describe("extendDueDate", () => {
  it("moves the due date, counts the extension and re-plans the reminder and the charge", () => {
    const result = extendDueDate(installment, 14, "EUR", policy, CAPTURED_AT);
    const due = daysAfter(installment.due_at, 14);
    expect(result).toEqual({
      ok: true,
      installment: { ...installment, due_at: due.toISOString(), extensions: 1 },
      fee: 0,
      followUps: [
        { type: "reminder", number: 1, at: daysAfter(due, -3).toISOString() },
        { type: "charge", number: 1, at: due.toISOString() },
      ],
    });
  });

  it("adds the policy's fee to the installment", () => {
    const paid = { ...policy, extension: { ...policy.extension, fee_major: 2 } };
    expect(extendDueDate(installment, 7, "EUR", paid, CAPTURED_AT)).toMatchObject({
      fee: 200,
      installment: { extension_fees: 200 },
    });
  });

  it("only whole days from 1 to the policy's maximum", () => {
    for (const days of [0, 15, 1.5, -3]) {
      expect(extendDueDate(installment, days, "EUR", policy, CAPTURED_AT)).toMatchObject({ code: "invalid_days" });
    }
  });

  it("at most the policy's number of extensions per installment", () => {
    const once = extendDueDate(installment, 7, "EUR", policy, CAPTURED_AT);
    if (!once.ok) throw new Error(once.detail);
    expect(extendDueDate(once.installment, 7, "EUR", policy, CAPTURED_AT)).toMatchObject({
      code: "extension_limit_reached",
    });
    const off = { ...policy, extension: { ...policy.extension, max_per_installment: 0 } };
    expect(extendDueDate(installment, 7, "EUR", off, CAPTURED_AT)).toMatchObject({ code: "extension_limit_reached" });
  });

  it("only before the charge has run", () => {
    for (const status of ["processing", "failed", "paid", "failed_final"] as const) {
      expect(extendDueDate({ ...installment, status }, 7, "EUR", policy, CAPTURED_AT)).toMatchObject({
        code: "not_extendable",
      });
    }
  });
});
