import type { Customer, PaymentMethod, Purchase, PurchaseCreateInput, Refund, Schedule } from "@tranche/shared";
import { OWED } from "../../../domain/collections/installment";
import { AUTHORIZATION_STATUS } from "../../../domain/purchases/holds";
import { attemptsOf, type PurchaseHistory } from "./purchase-history";
import type { CustomerRow, HoldRow, InstallmentRow, PaymentMethodRow, PurchaseRow, RefundRow } from "./rows";

/** The API objects the customer object answers with, from its rows. */

const feesOf = (i: InstallmentRow) => (i.late_fee ?? 0) + (i.extension_fees ?? 0);

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    object: "customer",
    email: row.email,
    name: row.name,
    credit_limits: JSON.parse(row.credit_limits),
    metadata: JSON.parse(row.metadata),
    default_payment_method: row.default_payment_method ?? null,
    redacted: Boolean(row.redacted_at),
    livemode: row.livemode === 1,
    created_at: row.created_at,
  };
}

export function toPaymentMethod(row: PaymentMethodRow, customer: CustomerRow): PaymentMethod {
  return {
    id: row.id,
    object: "payment_method",
    customer: customer.id,
    type: "card",
    card: { brand: row.brand, last4: row.last4 },
    livemode: customer.livemode === 1,
    created_at: row.created_at,
  };
}

export function toPurchase(
  row: PurchaseRow,
  installments: InstallmentRow[],
  customer: CustomerRow,
  hold: HoldRow | undefined,
  history: PurchaseHistory,
): Purchase {
  return {
    id: row.id,
    object: "purchase",
    customer: customer.id,
    payment_method: row.payment_method,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    interest_total: row.interest_total,
    total: row.total,
    amount_outstanding: installments.filter((i) => OWED.has(i.status)).reduce((s, i) => s + i.amount + feesOf(i), 0),
    amount_refunded: history.amountRefunded,
    cash_returned: history.cashReturned,
    plan: JSON.parse(row.plan),
    capture: row.capture,
    captured_at: row.captured_at,
    authorization: hold
      ? { status: AUTHORIZATION_STATUS[hold.status], amount: hold.amount, expires_at: hold.expires_at }
      : null,
    installments: installments.map((i) => ({
      number: i.number,
      amount: i.amount,
      principal: i.principal,
      interest: i.interest,
      fees: feesOf(i),
      due_at: i.due_at,
      status: i.status,
      paid_at: history.paidAt.get(i.number) ?? null,
      attempts: attemptsOf(history, i.number, hold),
    })),
    merchant_reference: row.merchant_reference,
    line_items: JSON.parse(row.line_items),
    metadata: JSON.parse(row.metadata),
    livemode: customer.livemode === 1,
    created_at: row.created_at,
  };
}

/** The rows of a new purchase: captured at once (automatic capture) or awaiting capture. */
export function newPurchaseRows(
  id: string,
  params: PurchaseCreateInput,
  schedule: Schedule,
  now: Date,
  traceId: string,
): { row: PurchaseRow; installments: InstallmentRow[] } {
  const captured = params.capture === "automatic";
  const row: PurchaseRow = {
    id,
    status: captured ? "active" : "requires_capture",
    amount: params.amount,
    currency: params.currency,
    interest_total: schedule.interest_total,
    total: schedule.total,
    plan: JSON.stringify(params.plan),
    capture: params.capture,
    captured_at: captured ? now.toISOString() : null,
    payment_method: params.payment_method,
    merchant_reference: params.merchant_reference ?? null,
    line_items: JSON.stringify(params.line_items ?? []),
    metadata: JSON.stringify(params.metadata ?? {}),
    created_at: now.toISOString(),
    version: 1,
    trace_id: traceId,
  };
  const installments = schedule.installments.map((i) => ({
    purchase_id: id,
    number: i.number,
    amount: i.amount,
    principal: i.principal,
    interest: i.interest,
    due_at: i.due_at,
    status: "scheduled" as const,
  }));
  return { row, installments };
}

/** A refund, with what it takes from its purchase's owner: whose, in which currency and mode. */
export function toRefund(row: RefundRow, purchase: Pick<PurchaseRow, "currency">, customer: CustomerRow): Refund {
  return {
    id: row.id,
    object: "refund",
    purchase: row.purchase_id,
    customer: customer.id,
    amount: row.amount,
    currency: purchase.currency,
    cash_returned: row.cash_returned,
    status: row.status,
    reason: row.reason as Refund["reason"],
    livemode: customer.livemode === 1,
    created_at: row.created_at,
  };
}
