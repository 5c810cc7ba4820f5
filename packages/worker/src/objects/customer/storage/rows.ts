import type { Installment, Purchase } from "@tranche/shared";
import type { CollectionInstallment } from "../../../domain/collections/installment";
import type { FollowUp } from "../../../domain/collections/lifecycle";
import type { PayoutStatus } from "../../../domain/collections/payouts";
import type { HoldStatus } from "../../../domain/purchases/holds";

/** Row shapes of the customer object's SQLite tables (schema.ts). */
export interface CustomerRow {
  id: string;
  merchant_id: string;
  livemode: number;
  email: string | null;
  name: string | null;
  credit_limits: string;
  metadata: string;
  created_at: string;
  version: number;
  default_payment_method: string | null;
  /** When the customer's personal data was erased; null while it is kept. */
  redacted_at: string | null;
}

export interface PaymentMethodRow {
  id: string;
  token: string;
  brand: string;
  last4: string;
  created_at: string;
  /** Absent on a row being inserted; set once the card is detached (or its customer redacted). */
  detached_at?: string | null;
}

export interface PurchaseRow {
  id: string;
  status: Purchase["status"];
  amount: number;
  currency: string;
  interest_total: number;
  total: number;
  plan: string;
  capture: Purchase["capture"];
  captured_at: string | null;
  payment_method: string;
  merchant_reference: string | null;
  line_items: string;
  metadata: string;
  created_at: string;
  version: number;
  /** The trace id of the request that created the purchase; empty for purchases made before traces were kept. */
  trace_id: string;
}

export interface InstallmentRow {
  purchase_id: string;
  number: number;
  amount: number;
  principal: number;
  interest: number;
  due_at: string;
  status: Installment["status"];
  /** Collections columns; absent on rows built before they are first written. */
  late_fee?: number;
  extension_fees?: number;
}

/** An installment as stored: the collections shape, its purchase and the charge that paid it. */
export type StoredInstallment = CollectionInstallment & { purchase_id: string; charge_id?: string | null };

/** A timed action the alarm runs: one per installment and type; a manual capture's hold has one too (holds/). */
export interface Action {
  purchase_id: string;
  number: number;
  type: FollowUp["type"] | "hold";
  at: string;
}

export interface RefundRow {
  id: string;
  purchase_id: string;
  amount: number;
  /** Cash paid back so far. */
  cash_returned: number;
  status: PayoutStatus;
  reason: string | null;
  created_at: string;
}

/**
 * A processor call decided before it is made: its key and amount fixed and committed first, so
 * whoever runs it (the command, a retry of the command, the alarm) sends the same request.
 * `pay_now` and `payoff` charge the customer's card at their request, a `due_charge` on the
 * schedule (a due date or a dunning retry); a `payout` refunds part of a charge. A pending charge
 * is the purchase's one open money movement (intents.ts `open`).
 */
export interface IntentRow {
  id: string;
  kind: "pay_now" | "payoff" | "due_charge" | "payout";
  purchase_id: string;
  number: number | null;
  refund_id: string | null;
  /** The charge a payout refunds. */
  charge_id: string | null;
  processor_key: string;
  amount: number;
  status: PayoutStatus;
  /** Attempts answered so far; a charge stays pending after a timeout, asked again under its key. */
  attempts: number;
  /** While pending: when the alarm sends it (again). */
  next_at: string | null;
  /** The last failure's processor code. */
  failure: string | null;
  created_at: string;
}

/**
 * A manual capture's authorisation hold on installment `number` (what falls due at capture). Its
 * processor keys derive from the purchase id (holds/keys.ts); `call_at` is the time sent with the
 * pending call, fixed when it was committed, so that a call sent again is the same request.
 */
export interface HoldRow {
  purchase_id: string;
  number: number;
  amount: number;
  status: HoldStatus;
  /** The hold's charge, once authorised: what is captured or voided. */
  charge_id: string | null;
  expires_at: string | null;
  ends_at: string;
  call_at: string;
  /** Calls of the pending step that failed and are retried. */
  attempts: number;
  failure: string | null;
  created_at: string;
}
