import { listSchema, PaymentMethodSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { customerStub } from "../../routes/customer-object";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema, isCustomerId } from "./retrieve";

const route = apiRoute({
  method: "get",
  path: "/v1/customers/{id}/payment_methods",
  operationId: "listPaymentMethods",
  tags: ["Payment methods"],
  summary: "List a customer's payment methods",
  description: "All of them, newest first, in one page: served by the customer's Durable Object.",
  request: { params: CustomerPathSchema },
  responses: {
    200: jsonResponse(listSchema(PaymentMethodSchema, "PaymentMethodList"), "All of the customer's payment methods."),
  },
});

export function registerListPaymentMethods(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const auth = c.get("auth");
    const methods = isCustomerId(id) ? await customerStub(c.env, auth, id).listPaymentMethods(auth) : null;
    if (!methods) throw notFound("customer", id);
    return c.json({ object: "list" as const, data: methods, has_more: false }, 200);
  });
}
