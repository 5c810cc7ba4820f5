import type { Customer } from "@tranche/shared";
import { toCustomer } from "../storage/api-objects";
import type { CustomerRow } from "../storage/rows";
import type { CommandContext } from "./decision";
import type { CommandFrame } from "./frame";
import { type CommandResult, type CreateCustomerCommand, invalid, ok } from "./index";

/**
 * The customer this object is for: its first write, so its storage is made here. There is no
 * customer yet to own the command, so it runs outside `CommandFrame.run`, on the frame's record.
 */
export async function createCustomer(
  ctx: CommandContext,
  frame: CommandFrame,
  cmd: CreateCustomerCommand,
): Promise<CommandResult<Customer>> {
  const { store, clock } = ctx;
  store.migrate();
  const recorded = frame.recorded(cmd.idempotency);
  // Only a retry of the create that made this customer can find one here.
  if (store.customer()) {
    if (recorded && "result" in recorded) return recorded.result as CommandResult<Customer>;
    return invalid("id", "This customer already exists.");
  }
  const p = cmd.params;
  const row: CustomerRow = {
    id: cmd.customerId,
    merchant_id: cmd.caller.merchantId,
    livemode: cmd.caller.livemode ? 1 : 0,
    email: p.email ?? null,
    name: p.name ?? null,
    credit_limits: JSON.stringify(normaliseLimits(p.credit_limits ?? {})),
    metadata: JSON.stringify(p.metadata ?? {}),
    created_at: clock.now().toISOString(),
    version: 1,
    default_payment_method: null,
    redacted_at: null,
  };
  const result = ok(toCustomer(row));
  frame.commit(
    cmd.idempotency,
    () => store.insertCustomer(row),
    () => ({ result }),
  );
  void frame.catchUp();
  return result;
}

/** Credit limits keyed by upper-case currency codes, as they are kept. */
export function normaliseLimits(limits: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).map(([c, v]) => [c.toUpperCase(), v]));
}
