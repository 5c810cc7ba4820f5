import { buildSchedule, type PlanParams, PlanSchema } from "@tranche/shared";
import { type CollectionInstallment, fromSchedule, type LedgerPurchase } from "../../src/domain/collections";

export const CAPTURED_AT = new Date("2026-03-01T09:00:00.000Z");

/** A test customer's usual purchase: 100 EUR in four parts, the first charged at capture. */
export const PAY_IN_4 = {
  amount: 10_000,
  currency: "EUR",
  plan: PlanSchema.parse({ type: "pay_in_n" }),
  capture: "automatic",
} as const;

export const daysAfter = (date: Date | string, days: number): Date =>
  new Date(new Date(date).getTime() + days * 86_400_000);

/** A captured purchase and its fresh schedule, as the customer object would hold them. */
export function captured(amount: number, currency: string, plan: PlanParams, anchor = CAPTURED_AT) {
  const schedule = buildSchedule({ amount, currency, plan: PlanSchema.parse(plan), anchor });
  const purchase: LedgerPurchase = {
    id: "pur_test",
    currency,
    amount,
    interest_total: schedule.interest_total,
    total: schedule.total,
  };
  return { purchase, installments: fromSchedule(schedule.installments) };
}

/** Sets statuses by installment number; the rest keep theirs. */
export function withStatus(
  installments: readonly CollectionInstallment[],
  statuses: Record<number, CollectionInstallment["status"]>,
): CollectionInstallment[] {
  return installments.map((i) => ({ ...i, status: statuses[i.number] ?? i.status }));
}

export function at<T extends { number: number }>(rows: readonly T[], number: number): T {
  const row = rows.find((r) => r.number === number);
  if (!row) throw new Error(`no installment ${number}`);
  return row;
}
