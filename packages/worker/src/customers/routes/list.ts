import { type Customer, CustomerSchema, ListParamsSchema, listSchema } from "@tranche/shared";
import { and, desc, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { customers } from "../../db/schema";
import type { App } from "../../env";
import { toPage } from "../../lib/pagination";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

const route = apiRoute({
  method: "get",
  path: "/v1/customers",
  operationId: "listCustomers",
  tags: ["Customers"],
  summary: "List customers",
  description: "Newest first. Served from the read model, which may lag writes by milliseconds.",
  request: { query: ListParamsSchema },
  responses: {
    200: jsonResponse(listSchema(CustomerSchema, "CustomerList"), "A page of customers."),
  },
});

export function registerListCustomers(app: App) {
  app.openapi(route, async (c) => {
    const { limit, starting_after } = c.req.valid("query");
    const auth = c.get("auth");
    const rows = await drizzle(c.env.DB)
      .select({ data: customers.data })
      .from(customers)
      .where(
        and(
          eq(customers.merchantId, auth.merchantId),
          eq(customers.livemode, auth.livemode),
          starting_after ? lt(customers.id, starting_after) : undefined,
        ),
      )
      .orderBy(desc(customers.id))
      .limit(limit + 1);
    return c.json(
      toPage(
        rows.map((r) => r.data as Customer),
        limit,
      ),
      200,
    );
  });
}
