import { z } from "@hono/zod-openapi";
import { PurchaseSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { paymentInFlight } from "./command-route";
import { PurchasePathSchema } from "./retrieve";

export const InstallmentPathSchema = PurchasePathSchema.extend({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .max(36)
    .openapi({ param: { name: "n", in: "path" }, description: "The installment's number, from 1.", example: 2 }),
});

const route = apiRoute({
  method: "post",
  path: "/v1/purchases/{id}/installments/{n}/pay",
  operationId: "payInstallment",
  tags: ["Purchases"],
  summary: "Pay an installment now",
  description:
    "Charges one installment now, early or to recover a failed one, including any fees on it. It uses the " +
    "installment's own processor key, so it can never be charged twice, even racing its due date. A decline " +
    "answers 402 and changes nothing.",
  request: { params: InstallmentPathSchema, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(PurchaseSchema, "The purchase, with the installment paid."),
    202: paymentInFlight,
  },
  problems: ["invalid_state", "payment_declined"],
});

export function registerPayInstallment(app: App) {
  app.openapi(route, async (c) => {
    const { id, n } = c.req.valid("param");
    const purchase = await customerCommand(c, { purchase: id }, (stub, command) =>
      stub.customerPayment({ ...command, purchaseId: id, operation: { type: "pay", number: n } }),
    );
    return c.get("inFlight") ? sendJson(purchase, 202) : sendJson(purchase, 200);
  });
}
