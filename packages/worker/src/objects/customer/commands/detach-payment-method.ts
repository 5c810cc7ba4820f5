import type { DetachedPaymentMethod } from "@tranche/shared";
import type { CustomerRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import { fail, ok } from "./index";

/**
 * A card detached: no longer listed nor charged. A purchase depends on the card while it is charged
 * to it and has an installment still owed, or awaits capture. Those owing installments move to the
 * customer's default card, if another card is the default; otherwise, or if one awaits capture (its
 * hold is on this card and cannot move) or has a charge in flight, the detach is refused and
 * nothing changes. Detaching the default card leaves the customer with no default (a `customer.updated` too).
 */
export function detachPaymentMethod(
  ctx: CommandContext,
  cardId: string,
  customer: CustomerRow,
): Decision<DetachedPaymentMethod> {
  const { store } = ctx;
  if (store.paymentMethodToken(cardId) === undefined) return fail("not_found", `No such payment method: '${cardId}'.`);
  const dependents = store.records.dependents(cardId);
  const target = customer.default_payment_method === cardId ? null : customer.default_payment_method;
  const held = dependents.find((p) => p.held);
  if (held) return inUse(`Purchase ${held.id} awaits capture with a hold on this card: capture or cancel it first.`);
  const charging = dependents.find((p) => ctx.intents.open(p.id));
  if (charging) return inUse(`A payment of purchase ${charging.id} is in progress on this card; try again shortly.`);
  if (dependents.length > 0 && !target)
    return inUse(
      `Purchase ${dependents[0]?.id} still owes installments charged to this card; set another card as the ` +
        "customer's default_payment_method to move it there, or detach once it is settled.",
    );
  const writes = () => {
    const at = ctx.clock.now().toISOString();
    store.records.detach(cardId, at);
    if (customer.default_payment_method === cardId) {
      store.saveCustomer({ ...customer, default_payment_method: null, version: customer.version + 1 });
      store.event("customer.updated", null, null, {}, at);
    }
    for (const p of dependents) {
      store.records.moveToCard(p.id, target ?? "");
      store.touch(p.id);
    }
    store.event("payment_method.detached", null, null, { payment_method: cardId }, at);
  };
  const result = ok({ id: cardId, object: "payment_method" as const, detached: true as const });
  return { writes, answer: () => ({ result }) };
}

const inUse = (detail: string) => fail("payment_method_in_use", detail);
