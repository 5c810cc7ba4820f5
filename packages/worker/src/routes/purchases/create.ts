import { createRoute } from "@hono/zod-openapi";
import { PurchaseCreateParamsSchema, PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerStub, idempotencyRef, sendJson, unwrap } from "../../lib/customers";
import { IdempotencyHeaders, jsonBody, jsonResponse, POST_PROBLEMS, problems } from "../openapi-helpers";

const route = createRoute({
  method: "post",
  path: "/v1/purchases",
  operationId: "createPurchase",
  tags: ["Purchases"],
  summary: "Create a purchase",
  description:
    "Creates the purchase in the customer's Durable Object and returns it with its full installment schedule. " +
    "With `capture: automatic` the schedule starts now; with `manual`, at capture. The customer's outstanding " +
    "principal in the currency, plus this amount, may not exceed their credit limit.",
  request: { headers: IdempotencyHeaders, body: jsonBody(PurchaseCreateParamsSchema, "The purchase and its plan.") },
  responses: {
    201: jsonResponse(PurchaseSchema, "The purchase with its schedule."),
    ...problems(...POST_PROBLEMS, 404),
  },
});

export function registerCreatePurchase(app: App) {
  app.openapi(route, async (c) => {
    const params = c.req.valid("json");
    const auth = c.get("auth");
    const result = await customerStub(c.env, auth, params.customer).createPurchase({
      caller: auth,
      idempotency: idempotencyRef(c),
      params,
      traceId: c.get("trace").traceId,
    });
    return sendJson(unwrap(c, result), 201);
  });
}
