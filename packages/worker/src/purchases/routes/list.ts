import { listSchema, type Purchase, PurchaseListParamsSchema, PurchaseSchema } from "@tranche/shared";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { purchases } from "../../db/schema";
import type { App } from "../../env";
import { rangeAndCursor, toPage } from "../../lib/pagination";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

const route = apiRoute({
  method: "get",
  path: "/v1/purchases",
  operationId: "listPurchases",
  tags: ["Purchases"],
  summary: "List purchases",
  description:
    "Newest first, filtered by customer, status and creation time. Served from the read model, which may lag " +
    "writes by milliseconds; retrieve a purchase by id for its current state.",
  request: { query: PurchaseListParamsSchema },
  responses: {
    200: jsonResponse(listSchema(PurchaseSchema, "PurchaseList"), "A page of purchases."),
  },
});

export function registerListPurchases(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const auth = c.get("auth");
    const rows = await drizzle(c.env.DB)
      .select({ data: purchases.data })
      .from(purchases)
      .where(
        and(
          eq(purchases.merchantId, auth.merchantId),
          eq(purchases.livemode, auth.livemode),
          q.customer ? eq(purchases.customerId, q.customer) : undefined,
          q.status ? eq(purchases.status, q.status) : undefined,
          ...rangeAndCursor(q, purchases.createdAt, purchases.id),
        ),
      )
      .orderBy(desc(purchases.id))
      .limit(q.limit + 1);
    return c.json(
      toPage(
        rows.map((r) => r.data as Purchase),
        q.limit,
      ),
      200,
    );
  });
}
