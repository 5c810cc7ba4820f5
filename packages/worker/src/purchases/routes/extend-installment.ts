import { ExtendInstallmentParamsSchema, PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { InstallmentPathSchema } from "./pay-installment";

const route = apiRoute({
  method: "post",
  path: "/v1/purchases/{id}/installments/{n}/extend",
  operationId: "extendInstallment",
  tags: ["Purchases"],
  summary: "Extend an installment's due date",
  description:
    "Moves a scheduled installment's due date `days` later (by default 1–14 days, once per installment). Its reminder and due " +
    "charge move with it.",
  request: {
    params: InstallmentPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(ExtendInstallmentParamsSchema, "How many days."),
  },
  responses: { 200: jsonResponse(PurchaseSchema, "The purchase, rescheduled.") },
  problems: ["invalid_state"],
});

export function registerExtendInstallment(app: App) {
  app.openapi(route, async (c) => {
    const { id, n } = c.req.valid("param");
    const { days } = c.req.valid("json");
    const purchase = await customerCommand(c, { purchase: id }, (stub, command) =>
      stub.customerPayment({ ...command, purchaseId: id, operation: { type: "extend", number: n, days } }),
    );
    return sendJson(purchase, 200);
  });
}
