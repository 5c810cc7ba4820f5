import { ListParamsSchema, RefundSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { PurchasePathSchema } from "../../purchases/routes/retrieve";
import { customerObject } from "../../routes/customer-object";
import { listRoute } from "../../routes/list-route";

export function registerListPurchaseRefunds(app: App) {
  listRoute(app, {
    path: "/v1/purchases/{id}/refunds",
    operationId: "listPurchaseRefunds",
    tag: "Refunds",
    summary: "List a purchase's refunds",
    description:
      "Newest first, paginated like every list. Served by the customer's Durable Object (the purchase's id names " +
      "it), so it is current: a refund just made is in it.",
    params: PurchasePathSchema,
    query: ListParamsSchema,
    item: RefundSchema,
    name: "RefundList",
    returns: "A page of the purchase's refunds.",
    page: async (c, q, { id }) => {
      const { stub, command } = await customerObject(c, { purchase: id });
      const page = await stub.listPurchaseRefunds(command.caller, id, q);
      if (!page) throw notFound("purchase", id);
      return page;
    },
  });
}
