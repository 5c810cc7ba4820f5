import { RefundCreateParamsSchema, RefundSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { PurchasePathSchema } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/purchases/{id}/refunds",
  operationId: "refundPurchase",
  tags: ["Purchases"],
  summary: "Refund a purchase",
  description:
    "Refunds part of the price (`amount`) or all that is left. A refund first lowers what the customer still " +
    "owes, last installments first; once nothing is owed, money already collected goes back to the customer " +
    "through the processor (`cash_returned`). Interest and fees already paid are not refunded. Refunds never " +
    "exceed the price captured.",
  request: {
    params: PurchasePathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(RefundCreateParamsSchema, "How much, and why."),
  },
  responses: { 201: jsonResponse(RefundSchema, "The refund.") },
  problems: ["invalid_state"],
});

export function registerRefundPurchase(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const params = c.req.valid("json");
    const refund = await customerCommand(c, { purchase: id }, (stub, command) =>
      stub.refundPurchase({ ...command, purchaseId: id, params }),
    );
    return sendJson(refund, 201);
  });
}
