import type { Purchase } from "@tranche/shared";
import { type CollectionInstallment, chargeAmount, fees } from "./installment";
import type { PayoffQuote } from "./payoff";
import type { RefundAllocation } from "./refunds";

/**
 * The chart of accounts. Amounts are signed: debit positive, credit negative, so every posting
 * sums to zero and so does the whole ledger. Asset accounts (receivable, clearing) and the
 * bad-debt expense carry positive balances; what Tranche owes or has earned carries negative ones.
 */
export const ACCOUNTS = [
  /** What customers still owe: principal, unpaid interest and unpaid fees. */
  "customer_receivable",
  /** What Tranche owes merchants for their sales; settlements pay it down. */
  "merchant_payable",
  /** Money at the processor: charges in, refund payouts out. */
  "processor_clearing",
  /** Interest agreed at capture and not yet collected. */
  "unearned_interest",
  "interest_income",
  "fee_income",
  /** Money owed back to customers until the processor has paid it out. */
  "customer_credit",
  "bad_debt",
] as const;

export type Account = (typeof ACCOUNTS)[number];

export type PostingEvent =
  | "capture"
  | "installment_paid"
  | "late_fee"
  | "extension_fee"
  | "refund"
  | "refund_payout"
  | "payoff"
  | "write_off"
  | "decline";

export interface PostingLine {
  account: Account;
  amount: number;
}

export interface Posting {
  event: PostingEvent;
  purchaseId: string;
  currency: string;
  lines: PostingLine[];
}

export type LedgerPurchase = Pick<Purchase, "id" | "currency" | "amount" | "interest_total" | "total">;

/** A broken posting is a bug, not a refusal: it must never reach storage. */
export class LedgerError extends Error {
  override name = "LedgerError";
}

function post(event: PostingEvent, purchase: LedgerPurchase, lines: PostingLine[]): Posting {
  const kept = lines.filter((line) => line.amount !== 0);
  const bad = kept.find((line) => !Number.isSafeInteger(line.amount));
  if (bad) throw new LedgerError(`${event} for ${purchase.id}: ${bad.account} amount ${bad.amount} is not an integer`);
  const sum = kept.reduce((s, line) => s + line.amount, 0);
  if (sum !== 0) throw new LedgerError(`${event} for ${purchase.id} is off balance by ${sum}`);
  if (kept.length === 0) throw new LedgerError(`${event} for ${purchase.id} moves no money`);
  return { event, purchaseId: purchase.id, currency: purchase.currency, lines: kept };
}

/** Capture is when the money becomes owed: an authorisation alone posts nothing, so neither does its cancel. */
export function capturePosting(purchase: LedgerPurchase): Posting {
  return post("capture", purchase, [
    { account: "customer_receivable", amount: purchase.total },
    { account: "merchant_payable", amount: -purchase.amount },
    { account: "unearned_interest", amount: -purchase.interest_total },
  ]);
}

/**
 * The charge due at checkout was declined: the purchase was never owed, so its capture is undone
 * line by line and the purchase's ledger nets to zero.
 */
export function declinePosting(purchase: LedgerPurchase): Posting {
  return post(
    "decline",
    purchase,
    capturePosting(purchase).lines.map((line) => ({ account: line.account, amount: -line.amount })),
  );
}

/** A due charge, a retry or the customer paying one installment. Interest is earned when it is collected. */
export function installmentPaidPosting(purchase: LedgerPurchase, installment: CollectionInstallment): Posting {
  const collected = chargeAmount(installment);
  return post("installment_paid", purchase, [
    { account: "processor_clearing", amount: collected },
    { account: "customer_receivable", amount: -collected },
    { account: "unearned_interest", amount: installment.interest },
    { account: "interest_income", amount: -installment.interest },
  ]);
}

/** A fee is income when it is added: from then on the customer owes it. */
export function feePosting(purchase: LedgerPurchase, event: "late_fee" | "extension_fee", fee: number): Posting {
  return post(event, purchase, [
    { account: "customer_receivable", amount: fee },
    { account: "fee_income", amount: -fee },
  ]);
}

/**
 * The merchant gives back the refunded price. Whatever the customer still owed shrinks (principal,
 * its interest, fees of removed installments); money already collected becomes customer credit
 * until `refundPayoutPosting` records the processor paying it out.
 */
export function refundPosting(purchase: LedgerPurchase, refund: RefundAllocation): Posting {
  return post("refund", purchase, [
    { account: "merchant_payable", amount: refund.amount },
    {
      account: "customer_receivable",
      amount: -(refund.principalWaived + refund.interestWaived + refund.feesWaived),
    },
    { account: "unearned_interest", amount: refund.interestWaived },
    { account: "fee_income", amount: refund.feesWaived },
    { account: "customer_credit", amount: -refund.cash },
  ]);
}

export function refundPayoutPosting(purchase: LedgerPurchase, cash: number): Posting {
  return post("refund_payout", purchase, [
    { account: "customer_credit", amount: cash },
    { account: "processor_clearing", amount: -cash },
  ]);
}

/** Interest due now is earned; interest the payoff waives leaves both the receivable and unearned interest. */
export function payoffPosting(purchase: LedgerPurchase, payoff: PayoffQuote): Posting {
  return post("payoff", purchase, [
    { account: "processor_clearing", amount: payoff.amount },
    { account: "customer_receivable", amount: -(payoff.amount + payoff.interestWaived) },
    { account: "unearned_interest", amount: payoff.interest + payoff.interestWaived },
    { account: "interest_income", amount: -payoff.interest },
  ]);
}

/**
 * Write-off is an explicit operator action, never automatic: a `failed_final` installment can
 * still be recovered, so it stays in the receivable until someone decides it will not be.
 * Principal and fees become bad debt; interest was never earned, so it is simply not owed.
 */
export function writeOffPosting(purchase: LedgerPurchase, installments: readonly CollectionInstallment[]): Posting {
  const notFinal = installments.find((i) => i.status !== "failed_final");
  if (notFinal)
    throw new LedgerError(`installment ${notFinal.number} is ${notFinal.status}; only failed_final is written off`);
  const sum = (part: (i: CollectionInstallment) => number) => installments.reduce((s, i) => s + part(i), 0);
  return post("write_off", purchase, [
    { account: "bad_debt", amount: sum((i) => i.principal + fees(i)) },
    { account: "unearned_interest", amount: sum((i) => i.interest) },
    { account: "customer_receivable", amount: -sum(chargeAmount) },
  ]);
}

/**
 * An account's balance over all postings, or one purchase's. A sum across currencies means
 * nothing, so it is refused rather than returned.
 */
export function balance(postings: readonly Posting[], account: Account, purchaseId?: string): number {
  const selected = purchaseId === undefined ? postings : postings.filter((p) => p.purchaseId === purchaseId);
  const currencies = new Set(selected.map((p) => p.currency));
  if (currencies.size > 1) throw new LedgerError(`${account} spans currencies ${[...currencies].join(", ")}`);
  return selected
    .flatMap((p) => p.lines)
    .filter((line) => line.account === account)
    .reduce((s, line) => s + line.amount, 0);
}

/** What the customer still owes on a purchase, by the books. */
export function receivable(postings: readonly Posting[], purchaseId: string): number {
  return balance(postings, "customer_receivable", purchaseId);
}
