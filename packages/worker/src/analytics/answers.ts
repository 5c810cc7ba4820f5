import type {
  ChargeAnalyticsByPlan,
  DeclineAnalytics,
  MoneyEvent,
  PaymentAnalytics,
  PaymentAnalyticsPoint,
  PlanType,
  RouteAnalytics,
} from "@tranche/shared";
import type { Row } from "./queries";

/**
 * The API's answers from the rows of the described queries. Counts of a sampled store are
 * estimates and may come back fractional from the sums, so they are rounded to whole events.
 */

const whole = (value: Row[string] | undefined) => Math.round(Number(value ?? 0));
const share = (part: number, total: number) => (total > 0 ? part / total : null);

/** Rows of `paymentsOverTime`. */
export function paymentSeries(rows: readonly Row[]): PaymentAnalyticsPoint[] {
  return rows.map((r) => ({
    start: String(r.start),
    event: String(r.event) as MoneyEvent,
    currency: String(r.currency),
    count: whole(r.count),
    amount: whole(r.amount),
  }));
}

type ChargeCounts = Omit<ChargeAnalyticsByPlan, "plan_type">;

function counts(rows: readonly Row[]): ChargeCounts {
  const of = (event: MoneyEvent) => rows.filter((r) => r.event === event).reduce((s, r) => s + whole(r.count), 0);
  const attempted = of("charge.attempted");
  const succeeded = of("charge.succeeded");
  const declined = of("charge.declined");
  return {
    attempted,
    succeeded,
    declined,
    success_rate: share(succeeded, attempted),
    decline_rate: share(declined, attempted),
  };
}

/** Rows of `chargeOutcomes`: totals, and rates per plan type and per decline code. */
export function chargeRates(rows: readonly Row[]): PaymentAnalytics["charges"] {
  const total = counts(rows);
  const planTypes = [...new Set(rows.map((r) => String(r.plan_type) as PlanType))];
  const declines = rows.filter((r) => r.event === "charge.declined");
  const codes = [...new Set(declines.map((r) => String(r.decline_code)))];
  const by_decline_code: DeclineAnalytics[] = codes.map((code) => {
    const declined = declines.filter((r) => r.decline_code === code).reduce((s, r) => s + whole(r.count), 0);
    return { decline_code: code, declined, rate: share(declined, total.attempted) };
  });
  return {
    ...total,
    by_plan_type: planTypes.map((plan_type) => ({
      plan_type,
      ...counts(rows.filter((r) => r.plan_type === plan_type)),
    })),
    by_decline_code: by_decline_code.sort(
      (a, b) => b.declined - a.declined || a.decline_code.localeCompare(b.decline_code),
    ),
  };
}

/** Rows of `requestsByRoute`. */
export function routeStats(rows: readonly Row[]): RouteAnalytics[] {
  return rows.map((r) => {
    const requests = whole(r.requests);
    const server_errors = whole(r.server_errors);
    const client_errors = whole(r.client_errors);
    return {
      method: String(r.method),
      route: String(r.route),
      requests,
      server_errors,
      client_errors,
      error_rate: share(server_errors, requests) ?? 0,
      client_error_rate: share(client_errors, requests) ?? 0,
      latency_ms: { p50: Number(r.p50), p95: Number(r.p95), p99: Number(r.p99) },
    };
  });
}
