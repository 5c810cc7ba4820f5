import { CustomerSchema, CustomerUpdateParamsSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/customers/{id}",
  operationId: "updateCustomer",
  tags: ["Customers"],
  summary: "Update a customer",
  description:
    "Changes what is given and leaves the rest. `metadata` is merged key by key, and a key set to an empty " +
    "string is removed (as at Stripe); `credit_limits` is merged per currency. A limit may be lowered below " +
    "what the customer owes: nothing owed changes, and new purchases in that currency are refused " +
    "(`credit_limit_exceeded`) until the balance is below it. Emits `customer.updated`. A redacted customer " +
    "cannot be changed (409 `customer_redacted`).",
  request: {
    params: CustomerPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(CustomerUpdateParamsSchema, "What changes."),
  },
  responses: { 200: jsonResponse(CustomerSchema, "The customer as changed.") },
  problems: ["customer_redacted"],
});

export function registerUpdateCustomer(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const params = c.req.valid("json");
    const customer = await customerCommand(c, { customer: id }, (stub, command) =>
      stub.updateCustomer({ ...command, params }),
    );
    return c.json(customer, 200);
  });
}
