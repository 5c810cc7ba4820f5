import { ListParamsSchema, WebhookEndpointSchema } from "@tranche/shared";
import { getTableColumns } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema";
import type { App } from "../../env";
import { scopedPage } from "../../lib/pagination";
import { listRoute } from "../../routes/list-route";
import { toWebhookEndpoint } from "../rules/endpoints";

export function registerListWebhookEndpoints(app: App) {
  listRoute(app, {
    path: "/v1/webhook_endpoints",
    operationId: "listWebhookEndpoints",
    tag: "Webhook endpoints",
    summary: "List webhook endpoints",
    description:
      "The key's mode's endpoints, newest first. Always current: served from the registry, not a projection.",
    query: ListParamsSchema,
    item: WebhookEndpointSchema,
    name: "WebhookEndpointList",
    returns: "A page of webhook endpoints.",
    page: (c, q) => {
      const now = Date.now();
      return scopedPage(c.env.DB, c.get("auth"), { table: webhookEndpoints, ...webhookEndpoints }, q, {
        fields: getTableColumns(webhookEndpoints),
        map: (row) => toWebhookEndpoint(row, now),
      });
    },
  });
}
