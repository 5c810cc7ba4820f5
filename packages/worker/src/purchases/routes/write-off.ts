import { type Purchase, PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import type { CommandResult, Json } from "../../objects/customer/commands";
import { customerStub, sendJson, unwrap } from "../../routes/customer-object";
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
    // Operators act across merchants: the registry says whose purchase it is.
    const owner = await c.env.DB.prepare("SELECT merchant_id, customer_id, livemode FROM purchases WHERE id = ?")
      .bind(id)
      .first<{ merchant_id: string; customer_id: string; livemode: number }>();
    if (!owner) throw notFound("purchase", id);
    const caller = { merchantId: owner.merchant_id, livemode: owner.livemode === 1 };
    const result: CommandResult<Json<Purchase>> = await customerStub(c.env, caller, owner.customer_id).customerPayment({
      caller,
      purchaseId: id,
      operation: { type: "write_off" },
    });
    return sendJson(unwrap(c, result), 200);
  });
}
