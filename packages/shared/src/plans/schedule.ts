import { amortise } from "../money/amortisation";
import { isSupportedCurrency } from "../money/currency";
import { addDaysUtc, addMonthsClampedUtc } from "../money/dates";
import { splitEvenly } from "../money/split";
import type { Plan } from "../schemas/plan";
import { PlanError } from "./errors";

export interface ScheduledInstallment {
  /** 1-based position in the schedule. */
  number: number;
  /** ISO 8601 UTC timestamp (`Date#toISOString`). */
  due_at: string;
  amount: number;
  principal: number;
  interest: number;
}

export interface Schedule {
  /** amount + interest_total; always the exact sum of the installment amounts. */
  total: number;
  interest_total: number;
  installments: ScheduledInstallment[];
}

export interface ScheduleInput {
  /** Integer count of the currency's minor unit. */
  amount: number;
  currency: string;
  /** A parsed plan (`PlanSchema` output), defaults applied. */
  plan: Plan;
  /** Capture time; due dates are derived from it in UTC. */
  anchor: Date;
}

interface Row {
  due: Date;
  principal: number;
  interest: number;
}

export function installmentCount(plan: Plan): number {
  switch (plan.type) {
    case "pay_in_full":
    case "pay_later":
      return 1;
    case "pay_in_n":
      return plan.n;
    case "financing":
      return plan.months;
  }
}

function rowsFor(amount: number, plan: Plan, anchor: Date): Row[] {
  switch (plan.type) {
    case "pay_in_full":
      return [{ due: anchor, principal: amount, interest: 0 }];
    case "pay_later":
      return [{ due: addDaysUtc(anchor, plan.days), principal: amount, interest: 0 }];
    case "pay_in_n":
      return splitEvenly(amount, plan.n).map((part, k) => ({
        due: addDaysUtc(anchor, k * plan.interval_days),
        principal: part,
        interest: 0,
      }));
    case "financing":
      // The first payment falls one month after capture, then monthly on the capture's day.
      return amortise(amount, plan.apr_bps, plan.months).map((row, i) => ({
        due: addMonthsClampedUtc(anchor, i + 1),
        principal: row.principal,
        interest: row.interest,
      }));
  }
}

/** Plan parameters are normally guaranteed by `PlanSchema`; this guards callers that skip it. */
function assertPlanParameters(plan: Plan): void {
  const params = Object.values(plan).filter((value) => typeof value !== "string");
  const count: number | undefined = installmentCount(plan);
  if (!(count !== undefined && count >= 1) || params.some((v) => !Number.isSafeInteger(v) || v < 0)) {
    throw new PlanError("invalid_plan", `plan ${JSON.stringify(plan)} has invalid parameters`);
  }
}

/**
 * The installment schedule for `amount` under `plan`, all in integer minor units.
 *
 * The minimum amount is one minor unit per installment (amount ≥ installment count): below that
 * some installment would be zero, which is never charged or shown. The currency exponent does
 * not enter the maths; the currency is only validated.
 */
export function buildSchedule({ amount, currency, plan, anchor }: ScheduleInput): Schedule {
  if (!isSupportedCurrency(currency)) {
    throw new PlanError(
      "unsupported_currency",
      `currency ${JSON.stringify(currency)} is not a supported ISO 4217 code`,
    );
  }
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw new PlanError("invalid_amount", `amount must be a positive integer of minor units, got ${amount}`);
  }
  if (!(anchor instanceof Date) || Number.isNaN(anchor.getTime())) {
    throw new PlanError("invalid_anchor", "anchor must be a valid Date");
  }
  assertPlanParameters(plan);
  const count = installmentCount(plan);
  if (amount < count) {
    throw new PlanError(
      "amount_too_small_for_plan",
      `amount ${amount} cannot fund ${count} installments of at least one minor unit each`,
    );
  }

  const installments = rowsFor(amount, plan, anchor).map((row, i) => ({
    number: i + 1,
    due_at: row.due.toISOString(),
    amount: row.principal + row.interest,
    principal: row.principal,
    interest: row.interest,
  }));
  // Defence in depth: amortise guarantees this for amount ≥ count, but a zero charge must never escape.
  if (installments.some((inst) => !Number.isSafeInteger(inst.amount) || inst.amount < 1)) {
    throw new PlanError("amount_too_small_for_plan", `amount ${amount} yields an installment below one minor unit`);
  }

  const interest_total = installments.reduce((sum, inst) => sum + inst.interest, 0);
  const total = amount + interest_total;
  if (!Number.isSafeInteger(total)) {
    throw new PlanError("amount_too_large", `total ${total} exceeds the exactly representable integer range`);
  }
  return { total, interest_total, installments };
}
