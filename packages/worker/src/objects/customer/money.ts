import type { MoneyEvent } from "@tranche/shared";
import { moneyPoint } from "../../analytics/points";
import type { AnalyticsSink } from "../../analytics/sink";
import type { Logger } from "../../lib/log";
import { workTrace } from "../../lib/trace";
import type { AfterCommit } from "./storage/after-commit";
import type { CustomerRow, PurchaseRow } from "./storage/rows";

/**
 * Money moved, for analytics and the logs: one data point and one log line per event. The line's
 * `trace_id` is the work's (the request's, or in an alarm the purchase's) and `purchase_trace_id`
 * the purchase's originating one; the point carries the originating one, so every money point of a
 * purchase, a charge the alarm runs months later included, is found under the checkout that made
 * it. Both wait for the commit of the transaction that records the event.
 */
export interface MoneyEvents {
  money(purchase: PurchaseRow, event: MoneyEvent, amount: number, declineCode?: string): void;
  /** A refund's payout attempt: logged only (the refund itself is the `refund` money event). */
  payout(purchase: PurchaseRow, refundId: string | null, amount: number, outcome: string): void;
}

export function moneyEvents(deps: {
  customer: () => CustomerRow | undefined;
  analytics: AnalyticsSink;
  log: Logger;
  afterCommit: AfterCommit;
}): MoneyEvents {
  const { customer, analytics, log, afterCommit } = deps;
  const line = (purchase: PurchaseRow, fields: Record<string, unknown>) => ({
    merchant_id: customer()?.merchant_id,
    customer_id: customer()?.id,
    purchase_id: purchase.id,
    currency: purchase.currency,
    trace_id: workTrace(purchase.trace_id),
    purchase_trace_id: purchase.trace_id,
    ...fields,
  });
  return {
    money(purchase, event, amount, declineCode) {
      afterCommit.defer(() => {
        const owner = customer();
        if (owner) analytics.write(moneyPoint(owner, purchase, event, amount, declineCode));
        log.info("money", line(purchase, { event, amount, decline_code: declineCode }));
      });
    },
    payout(purchase, refundId, amount, outcome) {
      afterCommit.defer(() =>
        log.info("money", line(purchase, { event: "refund.payout", refund_id: refundId, amount, outcome })),
      );
    },
  };
}
