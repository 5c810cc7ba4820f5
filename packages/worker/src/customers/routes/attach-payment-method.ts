import { PaymentMethodCreateParamsSchema, PaymentMethodSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { commandOf, customerStub, unwrap } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema, isCustomerId } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/customers/{id}/payment_methods",
  operationId: "attachPaymentMethod",
  tags: ["Payment methods"],
  summary: "Attach a payment method",
  description:
    "Turns a processor token into a payment method of the customer. Test mode takes the simulated processor's test tokens.",
  request: {
    params: CustomerPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(PaymentMethodCreateParamsSchema, "The processor token."),
  },
  responses: {
    201: jsonResponse(PaymentMethodSchema, "The attached payment method."),
  },
});

export function registerAttachPaymentMethod(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    if (!isCustomerId(id)) throw notFound("customer", id);
    const auth = c.get("auth");
    const result = await customerStub(c.env, auth, id).attachPaymentMethod({
      ...commandOf(c),
      token: c.req.valid("json").token,
    });
    return c.json(unwrap(c, result), 201);
  });
}
