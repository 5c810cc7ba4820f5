import { toCustomer } from "../storage/api-objects";
import type { CustomerRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import { fail, ok, type Redaction } from "./index";

/**
 * Erases the customer's personal data (name, email, metadata, card details) wherever this object
 * keeps it (storage/customer-records.ts `erase`), keeping ids, amounts and the ledger; refused while
 * money is owed either way. The redacted customer is a new version, whose projection rewrites D1's
 * copies and the webhook deliveries' payloads (src/projection/). A customer redacted already is
 * answered as it is, with nothing written.
 */
export function redactCustomer(ctx: CommandContext, customer: CustomerRow): Decision<Redaction> {
  const { store } = ctx;
  if (customer.redacted_at) {
    const again = ok({ customer: toCustomer(customer), keys: store.records.erasedKeys() });
    return { writes: () => {}, answer: () => ({ result: again }) };
  }
  const owed = store.records.moneyOwed();
  if (owed) return fail("balance_outstanding", `Customer ${customer.id} cannot be redacted while ${owed}.`);
  const at = ctx.clock.now().toISOString();
  const row: CustomerRow = {
    ...customer,
    email: null,
    name: null,
    metadata: "{}",
    default_payment_method: null,
    redacted_at: at,
    version: customer.version + 1,
  };
  let keys: string[] = [];
  const writes = () => {
    store.saveCustomer(row);
    keys = store.records.erase(row, at);
    store.event("customer.redacted", null, null, {}, at);
  };
  return { writes, answer: () => ({ result: ok({ customer: toCustomer(row), keys }) }) };
}
