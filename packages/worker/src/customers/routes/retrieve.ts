import { z } from "@hono/zod-openapi";
import { CustomerSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { customerStub } from "../../routes/customer-object";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

export const CustomerPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "cus_01JDQ8Z6W2N8X4C2V7B5K9M3PA" }),
});

/** Ids that cannot exist answer 404 without waking an object. */
export const isCustomerId = (id: string) => /^cus_[0-9A-HJKMNP-TV-Z]{26}$/.test(id);

const route = apiRoute({
  method: "get",
  path: "/v1/customers/{id}",
  operationId: "retrieveCustomer",
  tags: ["Customers"],
  summary: "Retrieve a customer",
  description: "Served by the customer's Durable Object: always current.",
  request: { params: CustomerPathSchema },
  responses: { 200: jsonResponse(CustomerSchema, "The customer.") },
});

export function registerRetrieveCustomer(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const auth = c.get("auth");
    const customer = isCustomerId(id) ? await customerStub(c.env, auth, id).getCustomer(auth) : null;
    if (!customer) throw notFound("customer", id);
    return c.json(customer, 200);
  });
}
