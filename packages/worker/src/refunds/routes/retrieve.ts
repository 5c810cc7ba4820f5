import { z } from "@hono/zod-openapi";
import { RefundSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerObject } from "../../routes/customer-object";
import { retrieveRoute } from "../../routes/retrieve-route";

export const RefundPathSchema = z.object({
  // Not the id's pattern: an id that cannot exist is a 404, as an unknown one is.
  id: z.string().openapi({
    param: { name: "id", in: "path" },
    example: "re_01JDQ9C4V1HW7Z3D01JDQ8Z6W2N8X4C2V7B5K9M3PA",
  }),
});

export function registerRetrieveRefund(app: App) {
  retrieveRoute(app, {
    path: "/v1/refunds/{id}",
    operationId: "retrieveRefund",
    tag: "Refunds",
    summary: "Retrieve a refund",
    description:
      "The refund's id names the customer who owns it, as a purchase's does; that customer's Durable Object " +
      "serves it, current (its status and `cash_returned` as the last payout left them).",
    params: RefundPathSchema,
    item: RefundSchema,
    returns: "The refund.",
    resource: "refund",
    load: async (c, id) => {
      const { stub, command } = await customerObject(c, { refund: id });
      return stub.getRefund(command.caller, id);
    },
  });
}
