import type { Period, SettlementRow } from "@tranche/shared";
import type { Account, PostingEvent } from "../../domain/collections/ledger";

/** A ledger total for one period (`index` into the periods), currency, posting event and account. */
export interface LedgerTotal {
  index: number;
  currency: string;
  event: string;
  account: string;
  amount: number;
}

type Measure = Exclude<keyof SettlementRow, "period_start" | "period_end" | "period" | "currency">;
type Flow = Exclude<Measure, "receivable_opening" | "receivable_closing" | "net_payable">;

/**
 * Each flow of the settlement report is a sum of ledger lines: of one account, over some posting
 * events, with the sign that makes it positive in the usual case. Every column is read from the
 * ledger on its own, so the reconciliation identity checked by the tests is not true by
 * construction: it holds only because every posting balances.
 */
const FLOWS: Record<Flow, { account: Account; events: PostingEvent[]; sign: 1 | -1 }[]> = {
  // A declined checkout's capture is undone by its decline posting, so it nets out of both.
  captured: [{ account: "merchant_payable", events: ["capture", "decline"], sign: -1 }],
  interest_charged: [{ account: "unearned_interest", events: ["capture", "decline"], sign: -1 }],
  late_fees: [{ account: "fee_income", events: ["late_fee"], sign: -1 }],
  extension_fees: [{ account: "fee_income", events: ["extension_fee"], sign: -1 }],
  collected: [{ account: "processor_clearing", events: ["installment_paid", "payoff"], sign: 1 }],
  refund_reductions: [{ account: "customer_receivable", events: ["refund"], sign: -1 }],
  interest_waived: [
    { account: "unearned_interest", events: ["payoff", "write_off"], sign: 1 },
    { account: "interest_income", events: ["payoff"], sign: 1 },
  ],
  written_off: [{ account: "bad_debt", events: ["write_off"], sign: 1 }],
  interest_earned: [{ account: "interest_income", events: ["installment_paid", "payoff"], sign: -1 }],
  refunded: [{ account: "merchant_payable", events: ["refund"], sign: 1 }],
  cash_returned: [{ account: "processor_clearing", events: ["refund_payout"], sign: -1 }],
};

const FLOW_NAMES = Object.keys(FLOWS) as Flow[];

/**
 * receivable_opening + captured + interest_charged + late_fees + extension_fees − collected −
 * refund_reductions − interest_waived − written_off = receivable_closing. Exported for the tests
 * and the docs: the left side minus the right side, zero on every row.
 */
export function reconciliationGap(row: SettlementRow): number {
  return (
    row.receivable_opening +
    row.captured +
    row.interest_charged +
    row.late_fees +
    row.extension_fees -
    row.collected -
    row.refund_reductions -
    row.interest_waived -
    row.written_off -
    row.receivable_closing
  );
}

/**
 * The settlement rows, one per period for each currency the ledger holds up to the end, from the ledger
 * totals per period (indexes 1…n) and before the first period (index 0, for the opening balance).
 * Closing balances chain: a period's closing is the next one's opening.
 */
export function settlementRows(periods: readonly Period[], totals: readonly LedgerTotal[]): SettlementRow[] {
  const byKey = new Map<string, number>();
  const receivableChanges = new Map<string, number>();
  const currencies = new Set<string>();
  const add = (map: Map<string, number>, key: string, amount: number) => map.set(key, (map.get(key) ?? 0) + amount);
  for (const t of totals) {
    currencies.add(t.currency);
    add(byKey, `${t.index}|${t.currency}|${t.event}|${t.account}`, t.amount);
    if (t.account === "customer_receivable") add(receivableChanges, `${t.index}|${t.currency}`, t.amount);
  }
  const sum = (index: number, currency: string, account: string, events: readonly string[]) =>
    events.reduce((s, event) => s + (byKey.get(`${index}|${currency}|${event}|${account}`) ?? 0), 0);
  const receivableChange = (index: number, currency: string) => receivableChanges.get(`${index}|${currency}`) ?? 0;

  const rows: SettlementRow[] = [];
  for (const currency of [...currencies].sort()) {
    let receivable = receivableChange(0, currency);
    periods.forEach((period, k) => {
      const index = k + 1;
      const flows = Object.fromEntries(
        FLOW_NAMES.map((name) => [
          name,
          FLOWS[name].reduce((s, part) => s + part.sign * sum(index, currency, part.account, part.events), 0),
        ]),
      ) as Record<Flow, number>;
      const opening = receivable;
      receivable += receivableChange(index, currency);
      // In the schema's order, which is the CSV's: the receivable's movements between its two ends.
      const { interest_earned, refunded, cash_returned, ...movements } = flows;
      rows.push({
        period_start: period.start,
        period_end: period.end,
        period: period.label,
        currency,
        receivable_opening: opening,
        ...movements,
        receivable_closing: receivable,
        interest_earned,
        refunded,
        cash_returned,
        net_payable: flows.captured - refunded,
      });
    });
  }
  return rows.sort((a, b) => a.period_start.localeCompare(b.period_start) || a.currency.localeCompare(b.currency));
}
