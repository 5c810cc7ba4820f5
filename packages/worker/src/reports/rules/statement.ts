import type { Statement, StatementLine } from "@tranche/shared";
import type { Account, PostingEvent } from "../../domain/collections/ledger";

/** One line of a customer's ledger, as the customer's object stores it. */
export interface StatementLedgerLine {
  posting: number;
  event: string;
  purchase_id: string;
  currency: string;
  account: string;
  amount: number;
  created_at: string;
}

/** What the customer owes Tranche, net of what Tranche owes them back until it is paid out. */
const BALANCE: ReadonlySet<Account> = new Set(["customer_receivable", "customer_credit"]);
/** Money at the processor: in from the customer, out when paid back. */
const CASH: Account = "processor_clearing";

/** A declined checkout's postings are left off (buildStatement), so `decline` needs no line type. */
const TYPE: Record<Exclude<PostingEvent, "decline">, StatementLine["type"]> = {
  capture: "capture",
  installment_paid: "payment",
  late_fee: "late_fee",
  extension_fee: "extension_fee",
  refund: "refund",
  refund_payout: "refund_payout",
  payoff: "payoff",
  write_off: "write_off",
};

/**
 * A statement's range, its bounds defaulting to the customer's whole history: from their creation
 * (before any posting) to just after `now` (their clock's), so a posting made this instant is on it.
 */
export function statementRange(
  customer: { created_at: string },
  given: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { from: string; to: string } {
  return { from: given.from ?? customer.created_at, to: given.to ?? new Date(now.getTime() + 1).toISOString() };
}

/**
 * A customer's statement over [from, to): one line per posting, with what it did to their balance
 * and what cash moved, and the balance per currency at both ends. `lines` is the customer's
 * ledger up to `to`, in posting order. A declined checkout was never owed: its capture and the
 * decline that undoes it net to zero and are left off.
 */
export function buildStatement(
  lines: readonly StatementLedgerLine[],
  range: { from: string; to: string },
  currency: string | undefined,
): Pick<Statement, "balances" | "data"> {
  const balances = new Map<string, { currency: string; opening: number; closing: number }>();
  const postings = new Map<number, StatementLine>();
  const declined = new Set(lines.filter((line) => line.event === "decline").map((line) => line.purchase_id));
  for (const line of lines) {
    if (currency && line.currency !== currency) continue;
    if (declined.has(line.purchase_id)) continue;
    const moves = BALANCE.has(line.account as Account) ? line.amount : 0;
    const balance = balances.get(line.currency) ?? { currency: line.currency, opening: 0, closing: 0 };
    balances.set(line.currency, balance);
    if (line.created_at < range.from) {
      balance.opening += moves;
      balance.closing += moves;
      continue;
    }
    if (line.created_at >= range.to) continue;
    balance.closing += moves;
    const entry = postings.get(line.posting) ?? {
      at: line.created_at,
      type: TYPE[line.event as Exclude<PostingEvent, "decline">],
      purchase: line.purchase_id,
      currency: line.currency,
      amount: 0,
      cash: 0,
      balance: 0,
    };
    entry.amount += moves;
    if (line.account === CASH) entry.cash += line.amount;
    entry.balance = balance.closing;
    postings.set(line.posting, entry);
  }
  return {
    balances: [...balances.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    data: [...postings.values()],
  };
}
