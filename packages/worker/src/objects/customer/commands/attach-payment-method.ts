import type { PaymentMethod } from "@tranche/shared";
import { newId } from "../../../lib/ids";
import { cardForTestToken } from "../../../processor/test-tokens";
import { toPaymentMethod } from "../storage/api-objects";
import type { CustomerRow, PaymentMethodRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import { invalid, ok } from "./index";

/** A card, from one of the documented test tokens, that the customer's purchases can be charged to. */
export function attachPaymentMethod(
  ctx: CommandContext,
  token: string,
  customer: CustomerRow,
): Decision<PaymentMethod> {
  const card = cardForTestToken(token);
  if (!card) return invalid("token", `Unknown payment token '${token}'. See the test tokens in the docs.`);
  const row: PaymentMethodRow = { id: newId("pm"), token, ...card, created_at: ctx.clock.now().toISOString() };
  const result = ok(toPaymentMethod(row, customer));
  return { writes: () => ctx.store.insertPaymentMethod(row), answer: () => ({ result }) };
}
