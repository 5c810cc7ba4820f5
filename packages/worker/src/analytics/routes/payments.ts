import { ANALYTICS_ARE_APPROXIMATE, PaymentAnalyticsParamsSchema, PaymentAnalyticsSchema } from "@tranche/shared";
import type { App } from "../../env";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { chargeRates, paymentSeries } from "../answers";
import { chargeOutcomes, paymentsOverTime } from "../queries";
import { analyticsReader } from "../reader";
import { analyticsScope } from "./scope";

const route = apiRoute({
  method: "get",
  path: "/v1/analytics/payments",
  operationId: "getPaymentAnalytics",
  tags: ["Analytics"],
  summary: "Payment analytics",
  description:
    "Volume and value of money events over time (captures, charge attempts and their outcomes, refunds, late fees, " +
    "write-offs), and charge success and decline rates by plan type and decline code, for this key's merchant and " +
    `mode. ${ANALYTICS_ARE_APPROXIMATE} Events are counted when they run, at real time: those run by an advanced ` +
    "test clock count at the moment the clock was advanced.",
  request: { query: PaymentAnalyticsParamsSchema },
  responses: { 200: jsonResponse(PaymentAnalyticsSchema, "Payment analytics over the window.") },
  problems: ["analytics_query_failed", "analytics_unavailable"],
});

export function registerPaymentAnalytics(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const { scope, stated } = analyticsScope(c.get("auth"), q);
    const reader = analyticsReader(c.env);
    const filters = { currency: q.currency, planType: q.plan_type };
    const [series, outcomes] = await Promise.all([
      reader.run(paymentsOverTime({ ...filters, granularity: q.granularity }), scope),
      reader.run(chargeOutcomes(filters), scope),
    ]);
    return c.json(
      {
        object: "payment_analytics" as const,
        ...stated,
        granularity: q.granularity,
        currency: q.currency ?? null,
        plan_type: q.plan_type ?? null,
        series: paymentSeries(series),
        charges: chargeRates(outcomes),
      },
      200,
    );
  });
}
