import type { Purchase, Tranche } from "@tranche/sdk";
import { TriggerKit } from "../../trigger/kit";
import type { Persona } from "./book";

const DAY_MS = 86_400_000;
/** A month on the test clock: the book moves in steps of this. */
const MONTH_DAYS = 30;

/** What one customer's run left: its purchase's plan, currency and final status (or the decline), and what was done to it. */
export type Outcome = {
  plan: string;
  currency: string;
  status: string;
  refunded: number;
  refundsRefused: number;
  writtenOff: boolean;
  calls: number;
};

const statusOf = (error: unknown) => (error as { status?: number }).status;

/**
 * One customer's life, on its own test clock: a card, a purchase, then `months` steps of the clock
 * (each runs the charges, retries and reminders that fall due), a refund in the month its persona
 * says, and a write-off at the end for the one left delinquent when an operator's client is given.
 */
export async function live(tranche: Tranche, p: Persona, months: number, admin?: Tranche): Promise<Outcome> {
  const out: Outcome = {
    plan: p.plan.type,
    currency: p.currency,
    status: "declined",
    refunded: 0,
    refundsRefused: 0,
    writtenOff: false,
    calls: 0,
  };
  const customer = await tranche.customers.create({
    email: p.email,
    name: p.name,
    metadata: { seeded: "tranche-cli" },
  });
  const card = await tranche.customers.paymentMethods.create(customer.id, { token: p.token });
  out.calls += 3;
  let purchase: Purchase;
  try {
    purchase = await tranche.purchases.create({
      customer: customer.id,
      payment_method: card.id,
      amount: p.amount,
      currency: p.currency,
      plan: p.plan,
      line_items: [{ name: "Demo basket", quantity: 1, unit_amount: p.amount }],
    });
  } catch (error) {
    // A declined checkout is part of the book (tok_hard_decline): the decline is its outcome.
    if (statusOf(error) === 402) return out;
    throw error;
  }
  const start = Date.parse(purchase.created_at);
  for (let month = 1; month <= months; month++) {
    await tranche.testHelpers.advanceClock(customer.id, {
      to: new Date(start + month * MONTH_DAYS * DAY_MS).toISOString(),
    });
    out.calls++;
    if (p.refund?.month === month) await refund(tranche, purchase, p.refund.share, out);
  }
  purchase = await tranche.purchases.retrieve(purchase.id);
  out.calls++;
  if (p.writeOff && admin && purchase.status === "delinquent") {
    await new TriggerKit(tranche, () => {}, admin).writeOff(purchase);
    purchase = await tranche.purchases.retrieve(purchase.id);
    out.calls += 2;
    out.writtenOff = purchase.status === "written_off";
  }
  out.status = purchase.status;
  return out;
}

/** Refunds a share of what is still refundable; a refusal (e.g. a purchase already written off) is counted, not fatal. */
async function refund(tranche: Tranche, purchase: Purchase, share: number, out: Outcome): Promise<void> {
  const current = await tranche.purchases.retrieve(purchase.id);
  const amount = Math.floor((current.amount - current.amount_refunded) * share);
  out.calls += 2;
  if (amount < 1) return;
  try {
    const made = await tranche.purchases.refunds.create(purchase.id, { amount, reason: "returned_goods" });
    out.refunded += made.amount;
  } catch (error) {
    const status = statusOf(error);
    if (status !== 400 && status !== 409) throw error;
    out.refundsRefused++;
  }
}

/**
 * Runs `task` over `items`, at most `limit` at a time, calling `done` as each finishes. After a
 * failure no new item starts: the command is about to exit 1 and should not go on seeding meanwhile.
 */
export async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
  done: (r: R) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
      done(results[i] as R);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
