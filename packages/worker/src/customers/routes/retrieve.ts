import { z } from "@hono/zod-openapi";
import { CustomerSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerObject } from "../../routes/customer-object";
import { retrieveRoute } from "../../routes/retrieve-route";

export const CustomerPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "cus_01JDQ8Z6W2N8X4C2V7B5K9M3PA" }),
});

export function registerRetrieveCustomer(app: App) {
  retrieveRoute(app, {
    path: "/v1/customers/{id}",
    operationId: "retrieveCustomer",
    tag: "Customers",
    summary: "Retrieve a customer",
    description: "Served by the customer's Durable Object: always current.",
    params: CustomerPathSchema,
    item: CustomerSchema,
    returns: "The customer.",
    resource: "customer",
    load: async (c, id) => {
      const { stub, command } = await customerObject(c, { customer: id });
      return stub.getCustomer(command.caller);
    },
  });
}
