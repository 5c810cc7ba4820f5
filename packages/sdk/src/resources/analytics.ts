import type { RequestOptions } from "../http";
import type {
  PaymentAnalytics,
  PaymentAnalyticsParams,
  RequestAnalytics,
  RequestAnalyticsParams,
} from "../types.generated";
import { Resource } from "./resource";

/**
 * Sampled, approximate metrics for your merchant and the key's mode, by default over the last
 * seven days. For money exact to the minor unit, use the reports.
 */
export class Analytics extends Resource {
  /** Volume and value of money events over time; charge success and decline rates by plan type and decline code. */
  payments(params: PaymentAnalyticsParams = {}, options?: RequestOptions): Promise<PaymentAnalytics> {
    return this.http.get("/v1/analytics/payments", params, options);
  }

  /** Per route: requests, error rates and latency percentiles (p50, p95, p99). */
  requests(params: RequestAnalyticsParams = {}, options?: RequestOptions): Promise<RequestAnalytics> {
    return this.http.get("/v1/analytics/requests", params, options);
  }
}
