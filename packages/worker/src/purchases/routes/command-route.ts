import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { commandOf, customerStub, purchaseOwner, sendJson, unwrap } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { PurchasePathSchema } from "./retrieve";

interface PurchaseCommandRoute {
  /** The action's path segment: POST /v1/purchases/{id}/<action>. */
  action: string;
  /** The customer object's method that runs it. */
  method: "capturePurchase" | "cancelPurchase";
  operationId: string;
  summary: string;
  description: string;
  returns: string;
}

/** The body-less commands on one purchase (capture, cancel): routed to its customer's object. */
export function registerPurchaseCommand(app: App, r: PurchaseCommandRoute) {
  const route = apiRoute({
    method: "post",
    path: `/v1/purchases/{id}/${r.action}`,
    operationId: r.operationId,
    tags: ["Purchases"],
    summary: r.summary,
    description: r.description,
    request: { params: PurchasePathSchema, headers: IdempotencyHeaders },
    responses: { 200: jsonResponse(PurchaseSchema, r.returns) },
    problems: ["invalid_state"],
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const auth = c.get("auth");
    const stub = customerStub(c.env, auth, await purchaseOwner(c, id));
    const result = await stub[r.method]({ ...commandOf(c), purchaseId: id });
    return sendJson(unwrap(c, result), 200);
  });
}
