import type { Customer, CustomerUpdateParams } from "@tranche/shared";
import { toCustomer } from "../storage/api-objects";
import type { CustomerRow } from "../storage/rows";
import { normaliseLimits } from "./create-customer";
import type { CommandContext, Decision } from "./decision";
import { fail, invalid, ok } from "./index";

/** Metadata may hold this many keys once merged, as at creation (MetadataSchema). */
const METADATA_KEYS = 50;

/**
 * A customer's name, email, metadata, credit limits or default card changed, as a new version of
 * the customer (projected to D1) and a `customer.updated` event. A credit limit may go below what
 * the customer owes: nothing owed changes, and new purchases in that currency are refused by the
 * credit check (domain/credit.ts) until the balance is below it, as a card issuer lowers a line.
 */
export function updateCustomer(
  ctx: CommandContext,
  params: CustomerUpdateParams,
  customer: CustomerRow,
): Decision<Customer> {
  if (customer.redacted_at) return redactedRefusal(customer.id);
  const metadata: Record<string, string> = JSON.parse(customer.metadata);
  for (const [key, value] of Object.entries(params.metadata ?? {})) {
    if (value === "") delete metadata[key];
    else metadata[key] = value;
  }
  if (Object.keys(metadata).length > METADATA_KEYS)
    return invalid("metadata", `metadata holds at most ${METADATA_KEYS} keys once merged with the customer's`);
  const card = params.default_payment_method;
  if (card && ctx.store.paymentMethodToken(card) === undefined)
    return invalid("default_payment_method", `No such payment method of this customer: '${card}'.`);
  const limits = { ...JSON.parse(customer.credit_limits), ...normaliseLimits(params.credit_limits ?? {}) };
  const row: CustomerRow = {
    ...customer,
    email: params.email === undefined ? customer.email : params.email,
    name: params.name === undefined ? customer.name : params.name,
    metadata: JSON.stringify(metadata),
    credit_limits: JSON.stringify(limits),
    default_payment_method: card === undefined ? customer.default_payment_method : card,
    version: customer.version + 1,
  };
  const result = ok(toCustomer(row));
  const writes = () => {
    ctx.store.saveCustomer(row);
    ctx.store.event("customer.updated", null, null, {}, ctx.clock.now().toISOString());
  };
  return { writes, answer: () => ({ result }) };
}

/** What every change to a redacted customer is answered. */
export const redactedRefusal = (id: string) =>
  fail("customer_redacted", `Customer ${id} was redacted: its personal data is gone and it can no longer change.`);
