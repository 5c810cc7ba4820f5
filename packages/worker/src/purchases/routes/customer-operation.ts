import type { Purchase } from "@tranche/shared";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { CommandResult, CustomerPaymentCommand, Json } from "../../objects/customer/commands";
import { commandOf, customerStub, purchaseOwner, sendJson, unwrap } from "../../routes/customer-object";

/** Routes a customer operation on one purchase to its customer's object and answers the purchase. */
export async function runCustomerOperation(
  c: Context<AppEnv>,
  purchaseId: string,
  operation: CustomerPaymentCommand["operation"],
) {
  const auth = c.get("auth");
  const stub = customerStub(c.env, auth, await purchaseOwner(c, purchaseId));
  const result: CommandResult<Json<Purchase>> = await stub.customerPayment({
    ...commandOf(c),
    purchaseId,
    operation,
  });
  return sendJson(unwrap(c, result), 200);
}
