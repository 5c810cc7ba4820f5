import { ListParamsSchema, listSchema, WebhookEndpointSchema } from "@tranche/shared";
import { and, desc, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { App } from "../../env";
import { toPage } from "../../lib/pagination";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { toWebhookEndpoint } from "../rules/endpoints";

const route = apiRoute({
  method: "get",
  path: "/v1/webhook_endpoints",
  operationId: "listWebhookEndpoints",
  tags: ["Webhook endpoints"],
  summary: "List webhook endpoints",
  description: "The key's mode's endpoints, newest first. Always current: served from the registry, not a projection.",
  request: { query: ListParamsSchema },
  responses: {
    200: jsonResponse(listSchema(WebhookEndpointSchema, "WebhookEndpointList"), "A page of webhook endpoints."),
  },
});

export function registerListWebhookEndpoints(app: App) {
  app.openapi(route, async (c) => {
    const { limit, starting_after } = c.req.valid("query");
    const auth = c.get("auth");
    const rows = await drizzle(c.env.DB)
      .select()
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.merchantId, auth.merchantId),
          eq(webhookEndpoints.livemode, auth.livemode),
          starting_after ? lt(webhookEndpoints.id, starting_after) : undefined,
        ),
      )
      .orderBy(desc(webhookEndpoints.id))
      .limit(limit + 1);
    const now = Date.now();
    return c.json(
      toPage(
        rows.map((r) => toWebhookEndpoint(r, now)),
        limit,
      ),
      200,
    );
  });
}
