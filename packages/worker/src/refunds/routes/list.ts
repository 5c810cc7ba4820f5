import { type Refund, RefundListParamsSchema, RefundSchema } from "@tranche/shared";
import { eq } from "drizzle-orm";
import { refunds } from "../../db/schema";
import type { App } from "../../env";
import { ownerOf } from "../../lib/ids";
import { scopedPage } from "../../lib/pagination";
import { listRoute } from "../../routes/list-route";
import { readModel } from "../../shards";

export function registerListRefunds(app: App) {
  listRoute(app, {
    path: "/v1/refunds",
    operationId: "listRefunds",
    tag: "Refunds",
    summary: "List refunds",
    description:
      "Every refund of the merchant, newest first, filtered by customer, purchase, status and creation time. " +
      "Served from the read model, which may lag writes by milliseconds; retrieve a refund, or list a purchase's " +
      "refunds, for their current state.",
    query: RefundListParamsSchema,
    item: RefundSchema,
    name: "RefundList",
    returns: "A page of refunds.",
    page: async (c, q) =>
      scopedPage(await readModel(c.env, c.get("auth").merchantId), c.get("auth"), { table: refunds, ...refunds }, q, {
        fields: { data: refunds.data },
        filters: [
          q.customer ? eq(refunds.customerId, q.customer) : undefined,
          // A purchase's id names its customer: its refunds are read from that customer's rows.
          q.purchase ? eq(refunds.customerId, ownerOf("pur", q.purchase) ?? "") : undefined,
          q.purchase ? eq(refunds.purchaseId, q.purchase) : undefined,
          q.status ? eq(refunds.status, q.status) : undefined,
        ],
        map: (r) => r.data as Refund,
      }),
  });
}
