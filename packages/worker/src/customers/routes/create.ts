import { CustomerCreateParamsSchema, CustomerSchema } from "@tranche/shared";
import type { App } from "../../env";
import { derivedId, newId } from "../../lib/ids";
import { customerCommand } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

const route = apiRoute({
  method: "post",
  path: "/v1/customers",
  operationId: "createCustomer",
  tags: ["Customers"],
  summary: "Create a customer",
  description:
    "Creates the customer's Durable Object, which from then on owns all of their purchases and payments. " +
    "`credit_limits` caps what they may owe per currency.",
  request: { headers: IdempotencyHeaders, body: jsonBody(CustomerCreateParamsSchema, "The customer.") },
  responses: {
    201: jsonResponse(CustomerSchema, "The new customer."),
  },
});

export function registerCreateCustomer(app: App) {
  app.openapi(route, async (c) => {
    const auth = c.get("auth");
    const idem = c.get("idempotency");
    // A retried create must reach the same object, whose own record then returns the first result.
    const customerId =
      idem?.firstSeen !== undefined
        ? await derivedId("cus", `${auth.merchantId}:${auth.livemode}:${idem.key}`, idem.firstSeen)
        : newId("cus");
    const params = c.req.valid("json");
    const customer = await customerCommand(c, { customer: customerId }, (stub, command) =>
      stub.createCustomer({ ...command, customerId, params }),
    );
    return c.json(customer, 201);
  });
}
