// Compiled by `pnpm typecheck`, never run: the generated types must be exactly the zod schemas' types,
// and the SDK's list shape the API's. `pnpm --filter @tranche/sdk test` also checks the file is fresh.
import type * as S from "@tranche/shared";
import type { List } from "../src/pagination";
import type * as G from "../src/types.generated";

/** Mutually assignable: neither side takes or gives anything the other does not. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type Checks = [
  Assert<Same<G.ErrorCode, S.ErrorCode>>,
  Assert<Same<G.Problem, S.Problem>>,
  Assert<Same<G.MerchantCreateParams, S.MerchantCreateParams>>,
  Assert<Same<G.Merchant, S.Merchant>>,
  Assert<Same<G.MerchantWithKey, S.MerchantWithKey>>,
  Assert<Same<G.CustomerCreateParams, S.CustomerCreateParams>>,
  Assert<Same<G.Customer, S.Customer>>,
  Assert<Same<G.PaymentMethodCreateParams, S.PaymentMethodCreateParams>>,
  Assert<Same<G.PaymentMethod, S.PaymentMethod>>,
  Assert<Same<G.PlanParams, S.PlanParams>>,
  Assert<Same<G.Plan, S.Plan>>,
  Assert<Same<G.LineItem, S.LineItem>>,
  Assert<Same<G.PurchaseCreateParams, S.PurchaseCreateParams>>,
  Assert<Same<G.InstallmentStatus, S.InstallmentStatus>>,
  Assert<Same<G.Installment, S.Installment>>,
  Assert<Same<G.PurchaseStatus, S.PurchaseStatus>>,
  Assert<Same<G.Purchase, S.Purchase>>,
  Assert<Same<G.RefundCreateParams, S.RefundCreateParams>>,
  Assert<Same<G.Refund, S.Refund>>,
  Assert<Same<G.ExtendInstallmentParams, S.ExtendInstallmentParams>>,
  Assert<Same<G.AdvanceClockParams, S.AdvanceClockParams>>,
  Assert<Same<G.TestClock, S.TestClock>>,
  Assert<Same<G.ClockAction, S.TestClock["ran"][number]>>,
  Assert<Same<G.ReportParams, S.ReportParams>>,
  Assert<Same<G.AgingParams, S.AgingParams>>,
  Assert<Same<G.StatementParams, S.StatementParams>>,
  Assert<Same<G.SettlementRow, S.SettlementRow>>,
  Assert<Same<G.SettlementReport, S.SettlementReport>>,
  Assert<Same<G.CollectionsRow, S.CollectionsRow>>,
  Assert<Same<G.CollectionsReport, S.CollectionsReport>>,
  Assert<Same<G.AgingRow, S.AgingRow>>,
  Assert<Same<G.AgingReport, S.AgingReport>>,
  Assert<Same<G.StatementLine, S.StatementLine>>,
  Assert<Same<G.Statement, S.Statement>>,
  Assert<Same<G.MoneyEvent, S.MoneyEvent>>,
  Assert<Same<G.PaymentAnalyticsParams, S.PaymentAnalyticsParams>>,
  Assert<Same<G.PaymentAnalyticsPoint, S.PaymentAnalyticsPoint>>,
  Assert<Same<G.ChargeAnalyticsByPlan, S.ChargeAnalyticsByPlan>>,
  Assert<Same<G.DeclineAnalytics, S.DeclineAnalytics>>,
  Assert<Same<G.PaymentAnalytics, S.PaymentAnalytics>>,
  Assert<Same<G.RequestAnalyticsParams, S.RequestAnalyticsParams>>,
  Assert<Same<G.RouteAnalytics, S.RouteAnalytics>>,
  Assert<Same<G.RequestAnalytics, S.RequestAnalytics>>,
  Assert<Same<List<G.Purchase>, S.List<S.Purchase>>>,
  // The schemas coerce `limit` from the query string (input type `unknown`); the SDK sends a number,
  // and otherwise the same fields.
  Assert<Same<keyof G.ListParams, keyof S.ListParams>>,
  Assert<Same<keyof G.PurchaseListParams, keyof S.PurchaseListParams>>,
  Assert<G.PurchaseListParams extends S.PurchaseListParams ? true : false>,
  Assert<Same<Omit<G.PurchaseListParams, "limit">, Omit<S.PurchaseListParams, "limit">>>,
];
