import { ANALYTICS_ARE_APPROXIMATE, RequestAnalyticsParamsSchema, RequestAnalyticsSchema } from "@tranche/shared";
import type { App } from "../../env";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { routeStats } from "../answers";
import { requestsByRoute } from "../queries";
import { analyticsReader } from "../reader";
import { analyticsScope } from "./scope";

const route = apiRoute({
  method: "get",
  path: "/v1/analytics/requests",
  operationId: "getRequestAnalytics",
  tags: ["Analytics"],
  summary: "Request analytics",
  description:
    "Per route and method: requests made with this key's merchant and mode, the share answered 5xx and 4xx, and " +
    `latency percentiles (p50, p95, p99). ${ANALYTICS_ARE_APPROXIMATE} Requests without a valid key are not counted.`,
  request: { query: RequestAnalyticsParamsSchema },
  responses: { 200: jsonResponse(RequestAnalyticsSchema, "Request analytics over the window.") },
  problems: ["analytics_query_failed", "analytics_unavailable"],
});

export function registerRequestAnalytics(app: App) {
  app.openapi(route, async (c) => {
    const { scope, stated } = analyticsScope(c.get("auth"), c.req.valid("query"));
    const rows = await analyticsReader(c.env).run(requestsByRoute, scope);
    return c.json(
      {
        object: "request_analytics" as const,
        ...stated,
        routes: routeStats(rows),
      },
      200,
    );
  });
}
