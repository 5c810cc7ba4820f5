import { describe, expect, it } from "vitest";
import {
  type ChargeFailure,
  type CollectionInstallment,
  DEFAULT_POLICY,
  type InstallmentEvent,
  nextChargeAt,
  plannedFollowUps,
  type Transition,
  transition,
} from "../../src/domain/collections";
import { at, CAPTURED_AT, captured, daysAfter } from "./fixtures";

const policy = DEFAULT_POLICY;
const { installments } = captured(10_000, "EUR", { type: "pay_later", days: 30 });
const first = at(installments, 1);
const due = new Date(first.due_at);

function step(installment: CollectionInstallment, event: InstallmentEvent, now: Date): CollectionInstallment {
  const result = transition(installment, event, policy, now);
  if (!result.ok) throw new Error(result.detail);
  return result.installment;
}

const started = (i: CollectionInstallment, now: Date) => step(i, { type: "charge_started" }, now);
const failing = (i: CollectionInstallment, reason: ChargeFailure, now: Date): Transition =>
  transition(started(i, now), { type: "charge_failed", reason }, policy, now);

function ok(result: Transition) {
  if (!result.ok) throw new Error(result.detail);
  return result;
}

describe("transition: the happy path", () => {
  it("scheduled → processing at the due date → paid, with nothing to follow up", () => {
    const processing = started(first, due);
    expect(processing.status).toBe("processing");
    const paid = ok(transition(processing, { type: "charge_succeeded" }, policy, due));
    expect(paid.installment.status).toBe("paid");
    expect(paid.followUps).toEqual([]);
  });

  it("refuses a due charge before its due date, so an early alarm changes nothing", () => {
    expect(transition(first, { type: "charge_started" }, policy, daysAfter(due, -1))).toMatchObject({
      ok: false,
      code: "not_due",
    });
  });

  it("refuses a second start of the same charge and a charge of a paid installment (alarm re-delivery)", () => {
    const processing = started(first, due);
    expect(transition(processing, { type: "charge_started" }, policy, due)).toMatchObject({
      ok: false,
      code: "illegal_transition",
    });
    const paid = step(processing, { type: "charge_succeeded" }, due);
    expect(transition(paid, { type: "charge_started" }, policy, due)).toMatchObject({ code: "illegal_transition" });
    expect(transition(paid, { type: "paid_by_customer" }, policy, due)).toMatchObject({ code: "illegal_transition" });
  });
});

describe("transition: dunning", () => {
  it("a soft decline on the due date schedules the first retry a day after the due date, with no fee", () => {
    const result = ok(failing(first, "soft_decline", due));
    expect(result.installment).toMatchObject({ status: "failed", attempts_failed: 1 });
    expect(result.followUps).toEqual([{ type: "charge", number: 1, at: daysAfter(due, 1).toISOString() }]);
  });

  it("walks +1, +3, +7 days from the due date, adds the late fee on the declined first retry, then gives up", () => {
    let installment = first;
    const seen: unknown[] = [];
    for (const now of [due, daysAfter(due, 1), daysAfter(due, 3), daysAfter(due, 7)]) {
      const result = ok(failing(installment, "soft_decline", now));
      installment = result.installment;
      seen.push([installment.status, result.followUps]);
    }
    expect(seen).toEqual([
      ["failed", [{ type: "charge", number: 1, at: daysAfter(due, 1).toISOString() }]],
      [
        "failed",
        [
          { type: "late_fee", number: 1 },
          { type: "charge", number: 1, at: daysAfter(due, 3).toISOString() },
        ],
      ],
      ["failed", [{ type: "charge", number: 1, at: daysAfter(due, 7).toISOString() }]],
      ["failed_final", []],
    ]);
    expect(installment.attempts_failed).toBe(4);
  });

  it("the retry is refused before its time and runs as `retrying`", () => {
    const failed = ok(failing(first, "soft_decline", due)).installment;
    expect(nextChargeAt(failed, policy)).toEqual(daysAfter(due, 1));
    expect(transition(failed, { type: "charge_started" }, policy, daysAfter(due, 0.5))).toMatchObject({
      code: "not_due",
    });
    expect(started(failed, daysAfter(due, 1)).status).toBe("retrying");
  });

  it("a processor error is retried on the same calendar but never adds a fee", () => {
    const failed = ok(failing(first, "soft_decline", due)).installment;
    const result = ok(failing(failed, "processor_error", daysAfter(due, 1)));
    expect(result.followUps).toEqual([{ type: "charge", number: 1, at: daysAfter(due, 3).toISOString() }]);
  });

  it("a hard decline ends dunning at once; on the due date without a fee, on the first retry with one", () => {
    expect(ok(failing(first, "hard_decline", due))).toMatchObject({
      installment: { status: "failed_final" },
      followUps: [],
    });
    const failed = ok(failing(first, "processor_error", due)).installment;
    expect(ok(failing(failed, "hard_decline", daysAfter(due, 1)))).toMatchObject({
      installment: { status: "failed_final" },
      followUps: [{ type: "late_fee", number: 1 }],
    });
  });

  it("a charge that ran late retries at once instead of in the past", () => {
    const late = daysAfter(due, 5);
    const result = ok(failing(first, "soft_decline", late));
    expect(result.followUps).toEqual([{ type: "charge", number: 1, at: late.toISOString() }]);
  });

  it("with no retry offsets the first failure is final", () => {
    const strict = { ...policy, retry_offsets_days: [] };
    const processing = started(first, due);
    const result = transition(processing, { type: "charge_failed", reason: "soft_decline" }, strict, due);
    expect(result).toMatchObject({ ok: true, installment: { status: "failed_final" } });
  });

  it("the customer can pay a failed_final installment, which recovers it", () => {
    let installment = ok(failing(first, "hard_decline", due)).installment;
    installment = step(installment, { type: "paid_by_customer" }, daysAfter(due, 20));
    expect(installment.status).toBe("paid");
  });

  it("the customer can pay early, before the due date", () => {
    expect(step(first, { type: "paid_by_customer" }, CAPTURED_AT).status).toBe("paid");
  });

  it("a customer payment is refused while a charge is at the processor", () => {
    expect(transition(started(first, due), { type: "paid_by_customer" }, policy, due)).toMatchObject({
      code: "illegal_transition",
    });
  });
});

describe("transition: removal", () => {
  it("cancel removes only an uncharged installment", () => {
    expect(step(first, { type: "cancelled" }, CAPTURED_AT).status).toBe("cancelled");
    const paid = step(first, { type: "paid_by_customer" }, CAPTURED_AT);
    expect(transition(paid, { type: "cancelled" }, policy, CAPTURED_AT)).toMatchObject({ code: "illegal_transition" });
  });

  it("refund removes an owed or paid installment, never one with a charge in flight", () => {
    expect(step(first, { type: "refunded" }, CAPTURED_AT).status).toBe("refunded");
    const paid = step(first, { type: "paid_by_customer" }, CAPTURED_AT);
    expect(step(paid, { type: "refunded" }, CAPTURED_AT).status).toBe("refunded");
    expect(transition(started(first, due), { type: "refunded" }, policy, due)).toMatchObject({
      code: "illegal_transition",
    });
    const refunded = step(first, { type: "refunded" }, CAPTURED_AT);
    expect(transition(refunded, { type: "charge_started" }, policy, due)).toMatchObject({
      code: "illegal_transition",
    });
  });
});

describe("plannedFollowUps", () => {
  it("a reminder three days before the due date, then the due charge", () => {
    expect(plannedFollowUps(first, policy, CAPTURED_AT)).toEqual([
      { type: "reminder", number: 1, at: daysAfter(due, -3).toISOString() },
      { type: "charge", number: 1, at: first.due_at },
    ]);
  });

  it("no reminder once its moment has passed: the first pay-in-4 part is charged at capture", () => {
    const plan = captured(10_000, "EUR", { type: "pay_in_n" }).installments;
    expect(plannedFollowUps(at(plan, 1), policy, CAPTURED_AT)).toEqual([
      { type: "charge", number: 1, at: CAPTURED_AT.toISOString() },
    ]);
    expect(plannedFollowUps(at(plan, 2), policy, CAPTURED_AT).map((f) => f.type)).toEqual(["reminder", "charge"]);
  });

  it("a lead time of 0 sends no reminders, and only scheduled installments plan anything", () => {
    expect(plannedFollowUps(first, { ...policy, reminder_lead_days: 0 }, CAPTURED_AT)).toEqual([
      { type: "charge", number: 1, at: first.due_at },
    ]);
    expect(plannedFollowUps({ ...first, status: "paid" }, policy, CAPTURED_AT)).toEqual([]);
  });
});
