import { z } from "@hono/zod-openapi";

/**
 * Every event type, with what it means: the list published in /docs. A Record, so a type the
 * service emits without a description here does not compile where types are checked against it.
 */
export const EVENT_TYPES = {
  "purchase.created": "A purchase was created: captured at once, or awaiting capture.",
  "purchase.captured": "An authorised purchase was captured; its schedule starts now.",
  "purchase.cancelled": "An uncaptured purchase was released; nothing was owed.",
  "purchase.declined":
    "The charge due at checkout, or the authorisation of a manual capture, was declined (`code` says why): the " +
    "purchase is not owed and its credit is released.",
  "purchase.expired":
    "A manual capture was not captured within the hold period: its hold was released, nothing is owed.",
  "purchase.active": "A delinquent purchase is back on schedule: its failed installment was paid.",
  "purchase.completed": "Everything the purchase owed has been paid.",
  "purchase.delinquent": "An installment failed for good: dunning has ended, the debt is still owed.",
  "purchase.refunded": "Refunds have given back the whole price.",
  "purchase.written_off": "An operator wrote the purchase's failed debt off as bad debt.",
  "purchase.paid_off": "The customer paid everything still owed at once.",
  "purchase.payment_declined":
    "A payment the customer made now (an installment or a payoff) was declined; `code` says why.",
  "installment.reminder": "An installment falls due in a few days: time to remind the customer.",
  "installment.paid": "An installment was paid: by its due charge, a retry, or the customer.",
  "installment.failed": "An installment's charge failed; it will be retried on the dunning schedule.",
  "installment.failed_final": "An installment's last retry failed, or its card was refused for good.",
  "installment.late_fee": "A late fee was added to an installment (`fee`).",
  "installment.extended": "An installment's due date was moved later (`days`, `fee`).",
  "refund.created": "A refund was made: what is owed shrank at once; cash goes back as payouts.",
  "refund.succeeded": "Every payout of a refund was paid back to the customer.",
  "refund.failed": "The processor refused a refund's payout for good; that cash stays owed to the customer.",
  "customer.updated": "A customer's name, email, metadata, credit limits or default card changed.",
  "customer.redacted":
    "A customer's personal data was erased; the event carries the redacted customer (ids, no personal data).",
  "payment_method.detached":
    "A card was detached: it is no longer listed nor charged; purchases it paid moved to the default card.",
  "webhook_endpoint.failing": "A webhook endpoint has failed every delivery for four days: it is disabled in a day.",
  "webhook_endpoint.disabled": "A webhook endpoint was disabled: five days of failed deliveries, or a 410.",
} as const satisfies Record<string, string>;

export type EventType = keyof typeof EVENT_TYPES;
const EVENT_TABLE = Object.entries(EVENT_TYPES)
  .map(([type, when]) => `- \`${type}\`: ${when}`)
  .join("\n");

export const EventTypeSchema = z
  .enum(Object.keys(EVENT_TYPES) as [EventType, ...EventType[]])
  .openapi("EventType", { description: `An event type (also at /docs/events):\n\n${EVENT_TABLE}` });
