import type { RequestOptions } from "../http";
import type { AgingParams, AgingReport, CollectionsReport, ReportParams, SettlementReport } from "../types.generated";
import { Resource } from "./resource";

/** Asks for the CSV export instead of JSON. */
export type CsvFormat = { format: "csv" };

/**
 * Money reports, exact to the minor unit, from the ledger: `tranche.reports`. Each answers JSON,
 * or with `{ format: "csv" }` the CSV export as text; `stream()` gives an export as a
 * `ReadableStream` for files too large to hold.
 */
export class Reports extends Resource {
  /** Captured, collected, refunded, fees, interest, write-offs and the receivable, per period and currency. */
  settlements(params: ReportParams & CsvFormat, options?: RequestOptions): Promise<string>;
  settlements(params: ReportParams, options?: RequestOptions): Promise<SettlementReport>;
  settlements(params: ReportParams, options?: RequestOptions): Promise<SettlementReport | string> {
    return this.report("/v1/reports/settlements", params, options);
  }

  /** Installments by due period: collected on time, late, failed for good, outstanding; the rates. */
  collections(params: ReportParams & CsvFormat, options?: RequestOptions): Promise<string>;
  collections(params: ReportParams, options?: RequestOptions): Promise<CollectionsReport>;
  collections(params: ReportParams, options?: RequestOptions): Promise<CollectionsReport | string> {
    return this.report("/v1/reports/collections", params, options);
  }

  /** The receivable by days past due, now or as it stood at `as_of`. */
  aging(params: AgingParams & CsvFormat, options?: RequestOptions): Promise<string>;
  aging(params?: AgingParams, options?: RequestOptions): Promise<AgingReport>;
  aging(params: AgingParams = {}, options?: RequestOptions): Promise<AgingReport | string> {
    return this.report("/v1/reports/aging", params, options);
  }

  /** A report's CSV export as a stream of bytes, read as it arrives. */
  stream(
    report: "settlements" | "collections",
    params: ReportParams,
    options?: RequestOptions,
  ): Promise<ReadableStream<Uint8Array>>;
  stream(report: "aging", params?: AgingParams, options?: RequestOptions): Promise<ReadableStream<Uint8Array>>;
  stream(
    report: "settlements" | "collections" | "aging",
    params: ReportParams | AgingParams = {},
    options?: RequestOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    return this.http.get(`/v1/reports/${report}`, { ...params, format: "csv" }, options, "stream");
  }
}
