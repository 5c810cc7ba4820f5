import { PurchaseCreateParamsSchema, PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

const route = apiRoute({
  method: "post",
  path: "/v1/purchases",
  operationId: "createPurchase",
  tags: ["Purchases"],
  summary: "Create a purchase",
  description:
    "Creates the purchase in the customer's Durable Object and returns it with its full installment schedule. " +
    "With `capture: automatic` the schedule starts now; with `manual`, at capture. The customer's outstanding " +
    "principal in the currency, plus this amount, may not exceed their credit limit. With `capture: automatic`, " +
    "what falls due at once is charged before the answer: declined, the answer is 402 `payment_declined` with " +
    "`decline_code` and `purchase`, the purchase's id, stored as `declined` with nothing owed.",
  request: { headers: IdempotencyHeaders, body: jsonBody(PurchaseCreateParamsSchema, "The purchase and its plan.") },
  responses: { 201: jsonResponse(PurchaseSchema, "The purchase with its schedule.") },
  // not_found: the body's customer (the path has no id to make it common).
  problems: [
    "customer_redacted",
    "not_found",
    "payment_method_not_found",
    "amount_too_small_for_plan",
    "credit_limit_exceeded",
    "payment_declined",
  ],
});

export function registerCreatePurchase(app: App) {
  app.openapi(route, async (c) => {
    const params = c.req.valid("json");
    const purchase = await customerCommand(c, { customer: params.customer }, (stub, command) =>
      stub.createPurchase({ ...command, params }),
    );
    return sendJson(purchase, 201);
  });
}
