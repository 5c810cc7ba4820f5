import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { PurchasePathSchema } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/admin/purchases/{id}/write_off",
  operationId: "writeOffPurchase",
  tags: ["Admin"],
  summary: "Write off a delinquent purchase (admin)",
  description:
    "Operator action, with the ADMIN_TOKEN: the purchase's failed_final installments become `written_off`, their " +
    "principal and fees move to bad debt and their unearned interest is dropped. Never automatic: until then the " +
    "customer can still pay and recover the purchase.",
  security: [{ AdminToken: [] }],
  request: { params: PurchasePathSchema, headers: IdempotencyHeaders },
  responses: { 200: jsonResponse(PurchaseSchema, "The purchase, `written_off`.") },
  problems: ["invalid_state"],
});

export function registerWriteOff(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const purchase = await customerCommand(c, { anyMerchantsPurchase: id }, (stub, command) =>
      stub.customerPayment({ ...command, purchaseId: id, operation: { type: "write_off" } }),
    );
    return sendJson(purchase, 200);
  });
}
