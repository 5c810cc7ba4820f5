import { expect } from "vitest";
import {
  ACCOUNTS,
  amountOwed,
  balance,
  deriveStatus,
  lateFeeCap,
  majorToMinor,
  OWED,
  type Posting,
  receivable,
  refundable,
  refundStatus,
} from "../../src/domain/collections";
import type { IntentRow, PurchaseRow } from "../../src/objects/customer/storage/rows";
import { isAttempt, type SimulatorCall } from "../../src/processor/simulator-store";
import type { TestCustomer } from "./customer";

/** Credit balances are negative; `0 - x` rather than `-x` so that nothing owed is 0, not -0. */
const credit = (amount: number) => 0 - amount;
const sum = <T>(rows: readonly T[], part: (row: T) => number) => rows.reduce((s, row) => s + part(row), 0);
/** Calls that moved money: charges, captures of holds, refunds. */
const succeeded = (calls: readonly SimulatorCall[]) =>
  calls.filter(
    (c): c is Extract<SimulatorCall, { kind: "charge" | "capture" | "refund" }> =>
      isAttempt(c) && c.result.status === "succeeded",
  );
const isPayoff = (call: SimulatorCall) => call.request.idempotencyKey.includes(":payoff:");

/**
 * The money rules, checked against the store's books and the processor's own call log after
 * every step: the ledger balances, what it says is owed is what the installments say, refunds
 * stay within the price and are paid out or still scheduled, and no money moved twice.
 */
export function checkBooks(customer: TestCustomer): void {
  const postings = customer.books.postings();
  for (const posting of postings) {
    expect(posting.lines.every((l) => Number.isSafeInteger(l.amount) && l.amount !== 0)).toBe(true);
    expect(sum(posting.lines, (l) => l.amount)).toBe(0);
  }
  for (const currency of new Set(postings.map((p) => p.currency))) {
    const ledger = postings.filter((p) => p.currency === currency);
    expect(sum([...ACCOUNTS], (account) => balance(ledger, account))).toBe(0);
  }
  for (const row of customer.books.purchases()) checkPurchase(customer, row, postings);
  checkKeys(customer.processor.calls());
}

function checkPurchase(customer: TestCustomer, row: PurchaseRow, postings: Posting[]): void {
  const { store, policy } = customer;
  const installments = store.installments(row.id);
  const owed = installments.filter((i) => OWED.has(i.status));
  // A purchase declined at checkout was captured and undone: it owes and holds nothing.
  const captured = row.captured_at !== null && row.status !== "declined";
  const refunded = sum(
    customer.books.refunds().filter((r) => r.purchase_id === row.id),
    (r) => r.amount,
  );
  const intents = customer.books.intents().filter((i) => i.purchase_id === row.id);
  const payouts = intents.filter((i) => i.kind === "payout");
  const notPaidOut = payouts.filter((p) => p.status !== "succeeded");

  expect(receivable(postings, row.id)).toBe(captured ? sum(installments, amountOwed) : 0);
  expect(balance(postings, "unearned_interest", row.id)).toBe(captured ? credit(sum(owed, (i) => i.interest)) : 0);
  expect(balance(postings, "merchant_payable", row.id)).toBe(captured ? credit(row.amount - refunded) : 0);
  // Cash owed back sits in customer credit until its payout succeeds; each cash return has one payout.
  expect(balance(postings, "customer_credit", row.id)).toBe(credit(sum(notPaidOut, (p) => p.amount)));
  expect(sum(installments, (i) => i.cash_refunded)).toBe(sum(payouts, (p) => p.amount));
  expect(refunded).toBeLessThanOrEqual(captured ? row.amount : 0);
  const writtenOff = sum(
    installments.filter((i) => i.status === "written_off"),
    (i) => i.principal,
  );
  if (captured) expect(refundable(installments)).toBe(row.amount - refunded - writtenOff);

  const lateFees = installments.map((i) => i.late_fee);
  expect(sum(lateFees, (f) => f)).toBeLessThanOrEqual(lateFeeCap(row, policy));
  expect(Math.max(...lateFees)).toBeLessThanOrEqual(majorToMinor(policy.late_fee.amount_major, row.currency));
  for (const i of installments) {
    expect(i.amount).toBe(i.principal + i.interest);
    expect(Math.min(i.principal, i.interest, i.late_fee, i.extension_fees, i.cash_refunded)).toBeGreaterThanOrEqual(0);
    expect(i.cash_refunded).toBeLessThanOrEqual(i.principal);
  }

  const status = deriveStatus(row, installments, store.holds.of(row.id));
  expect(row.status).toBe(status);
  expect(status === "delinquent").toBe(captured && installments.some((i) => i.status === "failed_final"));
  if (status === "completed" || status === "refunded") expect(receivable(postings, row.id)).toBe(0);

  checkPending(customer, intents);
  checkHold(customer, row);
  checkCollected(customer, row, postings, payouts);
  checkRefunds(customer, row, payouts);
}

/**
 * Each installment was charged successfully at most once (under whichever of its keys), a paid
 * one was charged or paid off, and the processor holds exactly the money the books say it does.
 */
function checkCollected(customer: TestCustomer, row: PurchaseRow, postings: Posting[], payouts: IntentRow[]): void {
  const mine = customer.processor.calls().filter((c) => c.request.idempotencyKey.startsWith(`${row.id}:`));
  const charges = succeeded(mine);
  const paidOff = charges.some(isPayoff);
  expect(charges.filter(isPayoff).length).toBeLessThanOrEqual(1);
  for (const i of customer.store.installments(row.id)) {
    const own = charges.filter((c) => !isPayoff(c) && c.request.idempotencyKey.startsWith(`${row.id}:${i.number}:`));
    expect(own.length).toBeLessThanOrEqual(1);
    if (i.status === "paid") expect(own.length === 1 || paidOff).toBe(true);
    const result = own[0]?.result;
    if (result && "chargeId" in result) expect(i.charge_id).toBe(result.chargeId);
  }
  const payoutKeys = new Set(payouts.map((p) => p.processor_key));
  const paidOut = succeeded(customer.processor.calls()).filter((c) => payoutKeys.has(c.request.idempotencyKey));
  const atProcessor = sum(charges, (c) => c.request.amount) - sum(paidOut, (c) => c.request.amount);
  expect(balance(postings, "processor_clearing", row.id)).toBe(atProcessor);
}

/**
 * A manual capture's hold: authorised at most once, captured only by a captured purchase, said
 * voided only once the processor released it; a purchase it ended (declined, expired) owes nothing.
 */
function checkHold(customer: TestCustomer, row: PurchaseRow): void {
  const hold = customer.store.holds.of(row.id);
  if (!hold) return;
  const calls = customer.processor.calls().filter(isAttempt);
  const about = (kind: SimulatorCall["kind"], status: string) =>
    calls.filter((c) => c.kind === kind && c.result.status === status && c.request.idempotencyKey.startsWith(row.id));
  expect(about("authorise", "authorised").length).toBeLessThanOrEqual(1);
  if (hold.status === "captured") expect(row.captured_at).not.toBeNull();
  if (hold.status === "voided") expect(about("void", "voided")).toHaveLength(1);
  if (hold.status === "declined" || hold.status === "expired") {
    expect(row.captured_at).toBeNull();
    expect(row.status).toBe(hold.status);
  }
}

/** A processor call still to make (a payment whose command died, a payout to retry) has a time the alarm follows. */
function checkPending(customer: TestCustomer, intents: IntentRow[]): void {
  const wakes = customer.ctx.schedule.nextAt() ?? "";
  for (const intent of intents) {
    expect(intent.status === "pending").toBe(intent.next_at !== null);
    if (intent.next_at !== null) expect(wakes <= intent.next_at).toBe(true);
  }
}

/**
 * A refund's payouts end succeeded or failed, or wait with a retry time the alarm follows; the
 * refund's cash returned is what its payouts paid, and it says so once, when it settles.
 */
function checkRefunds(customer: TestCustomer, row: PurchaseRow, payouts: IntentRow[]): void {
  const { processor } = customer;
  const paid = succeeded(processor.calls());
  for (const payout of payouts) {
    // Only the processor fails a payout: every paid installment, paid off ones too, records its charge.
    if (payout.status === "failed") expect(["refund_declined", "timeout"]).toContain(payout.failure);
    const sent = paid.filter((c) => c.request.idempotencyKey === payout.processor_key);
    expect(sent.map((c) => c.request.amount)).toEqual(payout.status === "succeeded" ? [payout.amount] : []);
  }
  for (const refund of customer.books.refunds().filter((r) => r.purchase_id === row.id)) {
    const own = payouts.filter((p) => p.refund_id === refund.id);
    expect(refund.status).toBe(refundStatus(own));
    expect(refund.cash_returned).toBe(sum(own, (p) => (p.status === "succeeded" ? p.amount : 0)));
    const said = customer.books
      .events()
      .filter((e) => e.type.startsWith("refund.") && JSON.parse(e.data).refund === refund.id);
    const settled = own.length > 0 && refund.status !== "pending";
    // Made once; settled once, when its payouts end.
    expect(said.map((e) => e.type)).toEqual(["refund.created", ...(settled ? [`refund.${refund.status}`] : [])]);
  }
}

/** A processor key always names the same request, and the processor never had to refuse one. */
function checkKeys(calls: readonly SimulatorCall[]): void {
  const requests = new Map<string, string>();
  for (const call of calls) {
    expect(call.idempotency).not.toBe("mismatch");
    const { idempotencyKey, ...request } = call.request;
    const shape = JSON.stringify({ kind: call.kind, ...request });
    expect(requests.get(idempotencyKey) ?? shape).toBe(shape);
    requests.set(idempotencyKey, shape);
  }
}
