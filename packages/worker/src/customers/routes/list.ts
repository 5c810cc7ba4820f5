import { type Customer, CustomerSchema, ListParamsSchema } from "@tranche/shared";
import { customers } from "../../db/schema";
import type { App } from "../../env";
import { scopedPage } from "../../lib/pagination";
import { listRoute } from "../../routes/list-route";
import { readModel } from "../../shards";

export function registerListCustomers(app: App) {
  listRoute(app, {
    path: "/v1/customers",
    operationId: "listCustomers",
    tag: "Customers",
    summary: "List customers",
    description: "Newest first. Served from the read model, which may lag writes by milliseconds.",
    query: ListParamsSchema,
    item: CustomerSchema,
    name: "CustomerList",
    returns: "A page of customers.",
    page: async (c, q) =>
      scopedPage(
        await readModel(c.env, c.get("auth").merchantId),
        c.get("auth"),
        { table: customers, ...customers },
        q,
        {
          fields: { data: customers.data },
          map: (r) => r.data as Customer,
        },
      ),
  });
}
