import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { paymentInFlight } from "./command-route";
import { PurchasePathSchema } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/purchases/{id}/payoff",
  operationId: "payOffPurchase",
  tags: ["Purchases"],
  summary: "Pay off the plan",
  description:
    "Charges everything still owed in one payment: remaining principal, fees, and the interest of installments " +
    "already due. Interest of months not yet due is waived. A decline answers 402 and changes nothing.",
  request: { params: PurchasePathSchema, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(PurchaseSchema, "The purchase, completed."),
    202: paymentInFlight,
  },
  problems: ["invalid_state", "payment_declined"],
});

export function registerPayoff(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const purchase = await customerCommand(c, { purchase: id }, (stub, command) =>
      stub.customerPayment({ ...command, purchaseId: id, operation: { type: "payoff" } }),
    );
    return c.get("inFlight") ? sendJson(purchase, 202) : sendJson(purchase, 200);
  });
}
