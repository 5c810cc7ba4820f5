import { PaymentMethodCreateParamsSchema, PaymentMethodSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema } from "./retrieve";

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
  problems: ["customer_redacted"],
});

export function registerAttachPaymentMethod(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { token } = c.req.valid("json");
    const method = await customerCommand(c, { customer: id }, (stub, command) =>
      stub.attachPaymentMethod({ ...command, token }),
    );
    return c.json(method, 201);
  });
}
