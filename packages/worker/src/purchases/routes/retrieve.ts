import { z } from "@hono/zod-openapi";
import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { customerStub, purchaseOwner } from "../../routes/customer-object";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

export const PurchasePathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "pur_01JDQ8Z6W2N8X4C2V7B5K9M3PB" }),
});

const route = apiRoute({
  method: "get",
  path: "/v1/purchases/{id}",
  operationId: "retrievePurchase",
  tags: ["Purchases"],
  summary: "Retrieve a purchase",
  description: "The registry says which customer owns the purchase; that customer's Durable Object serves it, current.",
  request: { params: PurchasePathSchema },
  responses: { 200: jsonResponse(PurchaseSchema, "The purchase.") },
});

export function registerRetrievePurchase(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const auth = c.get("auth");
    const purchase = await customerStub(c.env, auth, await purchaseOwner(c, id)).getPurchase(auth, id);
    if (!purchase) throw notFound("purchase", id);
    return c.json(purchase, 200);
  });
}
