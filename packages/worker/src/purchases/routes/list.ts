import { type Purchase, PurchaseListParamsSchema, PurchaseSchema } from "@tranche/shared";
import { eq } from "drizzle-orm";
import { purchases } from "../../db/schema";
import type { App } from "../../env";
import { scopedPage } from "../../lib/pagination";
import { listRoute } from "../../routes/list-route";
import { readModel } from "../../shards";

export function registerListPurchases(app: App) {
  listRoute(app, {
    path: "/v1/purchases",
    operationId: "listPurchases",
    tag: "Purchases",
    summary: "List purchases",
    description:
      "Newest first, filtered by customer, status and creation time. Served from the read model, which may lag " +
      "writes by milliseconds; retrieve a purchase by id for its current state.",
    query: PurchaseListParamsSchema,
    item: PurchaseSchema,
    name: "PurchaseList",
    returns: "A page of purchases.",
    page: async (c, q) =>
      scopedPage(
        await readModel(c.env, c.get("auth").merchantId),
        c.get("auth"),
        { table: purchases, ...purchases },
        q,
        {
          fields: { data: purchases.data },
          filters: [
            q.customer ? eq(purchases.customerId, q.customer) : undefined,
            q.status ? eq(purchases.status, q.status) : undefined,
          ],
          // A purchase projected before holds existed (issue 18) shows none, as the object would.
          map: (r) => {
            const purchase = r.data as Purchase;
            return { ...purchase, authorization: purchase.authorization ?? null };
          },
        },
      ),
  });
}
