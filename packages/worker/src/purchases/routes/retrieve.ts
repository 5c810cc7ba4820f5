import { z } from "@hono/zod-openapi";
import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerObject } from "../../routes/customer-object";
import { retrieveRoute } from "../../routes/retrieve-route";

export const PurchasePathSchema = z.object({
  // Not the id's pattern: an id that cannot exist is a 404, as an unknown one is.
  id: z.string().openapi({
    param: { name: "id", in: "path" },
    example: "pur_01JDQ9A3T7QX5R2M01JDQ8Z6W2N8X4C2V7B5K9M3PA",
  }),
});

export function registerRetrievePurchase(app: App) {
  retrieveRoute(app, {
    path: "/v1/purchases/{id}",
    operationId: "retrievePurchase",
    tag: "Purchases",
    summary: "Retrieve a purchase",
    description: "The purchase's id names the customer who owns it; that customer's Durable Object serves it, current.",
    params: PurchasePathSchema,
    item: PurchaseSchema,
    returns: "The purchase.",
    resource: "purchase",
    load: async (c, id) => {
      const { stub, command } = await customerObject(c, { purchase: id });
      return stub.getPurchase(command.caller, id);
    },
  });
}
