import type { EventType, Purchase } from "@tranche/sdk";
import type { TriggerKit } from "./kit";

/** The events no recipe produces, with the reason `tranche trigger --help` gives. */
export const NOT_TRIGGERABLE: Record<string, string> = {
  "webhook_endpoint.failing":
    "an endpoint's health runs on real time, not a test clock: it takes four days of failed deliveries",
  "webhook_endpoint.disabled":
    "five days of failed deliveries on real time, or a receiver answering 410 Gone to a real delivery (point a " +
    "webhook endpoint at a receiver that answers 410 to see it)",
};

export type TriggerType = Exclude<EventType, "webhook_endpoint.failing" | "webhook_endpoint.disabled">;

/** The recipes that take the deployment's ADMIN_TOKEN (`--admin-token`): operator actions. */
export const NEEDS_ADMIN: readonly string[] = ["purchase.written_off"];

/** The second installment's due time: where the recipes move the test clock from. */
const secondDue = (p: Purchase) => p.installments[1]?.due_at as string;

/** A purchase whose checkout charge succeeds and every later charge is declined softly. */
async function failingLater(k: TriggerKit) {
  const shopper = await k.shopper("tok_hold_then_decline");
  return { shopper, purchase: await k.purchase(shopper) };
}

async function paidAtCheckout(k: TriggerKit) {
  return k.purchase(await k.shopper());
}

async function authorised(k: TriggerKit, token = "tok_visa") {
  const shopper = await k.shopper(token);
  return { shopper, purchase: await k.purchase(shopper, { capture: "manual" }) };
}

/** Past the last dunning retry (1, 3 and 7 days after the due date, by default) of installment 2. */
async function delinquent(k: TriggerKit) {
  const { shopper, purchase } = await failingLater(k);
  await k.advance(shopper.customer, secondDue(purchase), 8);
}

/**
 * One recipe per event type test mode can produce, each the fewest calls that produce it: a
 * customer and a test card (two calls), a purchase, then at most a couple more.
 */
export const RECIPES: Record<TriggerType, (k: TriggerKit) => Promise<unknown>> = {
  "purchase.created": paidAtCheckout,
  // Pay in 4 charges the first installment at checkout.
  "installment.paid": paidAtCheckout,
  "purchase.captured": async (k) => k.capture((await authorised(k)).purchase),
  "purchase.cancelled": async (k) => k.cancel((await authorised(k)).purchase),
  "purchase.declined": async (k) => {
    const shopper = await k.shopper("tok_hard_decline");
    await k.declined("the checkout charge", () => k.purchase(shopper));
  },
  // This card's hold lapses after a day; the purchase expires when the hold period ends uncaptured.
  "purchase.expired": async (k) => {
    const { shopper, purchase } = await authorised(k, "tok_hold_expires_early");
    await k.advance(shopper.customer, purchase.created_at, 8);
  },
  "purchase.payment_declined": async (k) => {
    const { purchase } = await failingLater(k);
    await k.declined("paying installment 2 now", () => k.pay(purchase, 2));
  },
  "purchase.paid_off": async (k) => k.payoff(await paidAtCheckout(k)),
  "purchase.completed": async (k) => k.payoff(await paidAtCheckout(k)),
  // Reminders go a few days (reminder_lead_days) before a due date: a day before it, the reminder is out.
  "installment.reminder": async (k) => {
    const shopper = await k.shopper();
    const purchase = await k.purchase(shopper);
    await k.advance(shopper.customer, secondDue(purchase), -1);
  },
  "installment.failed": async (k) => {
    const { shopper, purchase } = await failingLater(k);
    await k.advance(shopper.customer, secondDue(purchase), 0);
  },
  // The late fee is added when the first retry (a day after the due date) is declined too.
  "installment.late_fee": async (k) => {
    const { shopper, purchase } = await failingLater(k);
    await k.advance(shopper.customer, secondDue(purchase), 2);
  },
  "installment.failed_final": delinquent,
  "purchase.delinquent": delinquent,
  // Written off when nothing else is left to collect: a single pay-later installment that never pays.
  "purchase.written_off": async (k) => {
    const shopper = await k.shopper("tok_insufficient_funds");
    const purchase = await k.purchase(shopper, { plan: { type: "pay_later" } });
    await k.advance(shopper.customer, purchase.installments[0]?.due_at as string, 8);
    await k.writeOff(purchase);
  },
  // Financing charges nothing at checkout. The card fails its first four charges (installment 1's due
  // charge and its three retries: delinquent), then pays installment 1 when asked: back on schedule.
  "purchase.active": async (k) => {
    const shopper = await k.shopper("tok_succeed_after_4");
    const purchase = await k.purchase(shopper, { plan: { type: "financing", months: 3, apr_bps: 0 } });
    await k.advance(shopper.customer, purchase.installments[0]?.due_at as string, 8);
    await k.pay(purchase, 1);
  },
  "installment.extended": async (k) => k.extend(await paidAtCheckout(k), 2, 7),
  "refund.created": async (k) => k.refund(await paidAtCheckout(k), 100),
  // A refund first lowers what is still owed; paid in full, nothing is, so the refund is a payout.
  "refund.succeeded": async (k) =>
    k.refund(await k.purchase(await k.shopper(), { plan: { type: "pay_in_full" } }), 100),
  "refund.failed": async (k) => {
    const purchase = await k.purchase(await k.shopper("tok_refund_fails"), { plan: { type: "pay_in_full" } });
    await k.refund(purchase, 100);
  },
  "purchase.refunded": async (k) => k.refund(await paidAtCheckout(k)),
  "customer.updated": async (k) => k.updateCustomer((await k.shopper()).customer),
  // A card no purchase depends on detaches at once.
  "payment_method.detached": async (k) => k.detach(await k.shopper()),
  // Redaction is refused while money is owed: a customer who has bought nothing owes nothing.
  "customer.redacted": async (k) => k.redact((await k.shopper()).customer),
};
