import { PaymentMethodSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { customerObject } from "../../routes/customer-object";
import { listRoute } from "../../routes/list-route";
import { CustomerPathSchema } from "./retrieve";

export function registerListPaymentMethods(app: App) {
  listRoute(app, {
    path: "/v1/customers/{id}/payment_methods",
    operationId: "listPaymentMethods",
    tag: "Payment methods",
    summary: "List a customer's payment methods",
    description: "All of them, newest first, in one page: served by the customer's Durable Object.",
    params: CustomerPathSchema,
    item: PaymentMethodSchema,
    name: "PaymentMethodList",
    returns: "All of the customer's payment methods.",
    page: async (c, _q, { id }) => {
      const { stub, command } = await customerObject(c, { customer: id });
      const methods = await stub.listPaymentMethods(command.caller);
      if (!methods) throw notFound("customer", id);
      return { object: "list", data: methods, has_more: false };
    },
  });
}
