import { z } from "@hono/zod-openapi";
import { DetachedPaymentMethodSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand } from "../../routes/customer-object";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema } from "./retrieve";

const PathSchema = CustomerPathSchema.extend({
  pm: z.string().openapi({ param: { name: "pm", in: "path" }, example: "pm_01JDQ8Z6W2N8X4C2V7B5K9M3PC" }),
});

const route = apiRoute({
  method: "delete",
  path: "/v1/customers/{id}/payment_methods/{pm}",
  operationId: "detachPaymentMethod",
  tags: ["Payment methods"],
  summary: "Detach a payment method",
  description:
    "The card is no longer listed nor charged; emits `payment_method.detached`. A purchase depends on a card " +
    "while it is charged to it and has an installment still owed, or awaits capture. Such purchases owing " +
    "installments move to the customer's `default_payment_method` if another card is the default; otherwise, " +
    "or if one awaits capture (its hold cannot move) or has a payment in progress, the detach is refused " +
    "(409 `payment_method_in_use`) and nothing changes. Detaching the default card clears the default.",
  request: { params: PathSchema },
  responses: { 200: jsonResponse(DetachedPaymentMethodSchema, "The card is detached.") },
  problems: ["payment_method_in_use"],
});

export function registerDetachPaymentMethod(app: App) {
  app.openapi(route, async (c) => {
    const { id, pm } = c.req.valid("param");
    const detached = await customerCommand(c, { customer: id }, (stub, command) =>
      stub.detachPaymentMethod({ ...command, paymentMethodId: pm }),
    );
    return c.json(detached, 200);
  });
}
