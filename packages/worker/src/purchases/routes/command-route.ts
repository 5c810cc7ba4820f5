import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { PurchasePathSchema } from "./retrieve";

/** The answer of a customer payment the processor has not answered yet (pay now, payoff). */
export const paymentInFlight = jsonResponse(
  PurchaseSchema,
  "The processor did not answer in time: the payment is in flight, asked again under its key until its outcome is known (`installment.paid` or `purchase.payment_declined`), and nothing else changes the purchase meanwhile.",
);

interface PurchaseCommandRoute {
  /** The action's path segment: POST /v1/purchases/{id}/<action>. */
  action: string;
  /** The customer object's method that runs it. */
  method: "capturePurchase" | "cancelPurchase";
  operationId: string;
  summary: string;
  description: string;
  returns: string;
  /** Refusals beyond `invalid_state`: a capture whose charge is declined. */
  problems?: "payment_declined"[];
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
    problems: ["invalid_state", ...(r.problems ?? [])],
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const purchase = await customerCommand(c, { purchase: id }, (stub, command) =>
      stub[r.method]({ ...command, purchaseId: id }),
    );
    return sendJson(purchase, 200);
  });
}
