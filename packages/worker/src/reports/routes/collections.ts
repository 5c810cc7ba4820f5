import { CollectionsReportSchema, CollectionsRowSchema } from "@tranche/shared";
import type { App } from "../../env";
import { collections } from "../storage/queries";
import { registerPeriodReport } from "./period-report";

export function registerCollectionsReport(app: App) {
  registerPeriodReport(app, {
    type: "collections",
    operationId: "collectionsReport",
    summary: "Collections report",
    description:
      "Per period of due date and currency: the installments that fell due, those collected on time, collected late " +
      "(recovered by a dunning retry or paid by the customer afterwards), failed for good, and still outstanding, " +
      "with the collection and recovery rates. Each installment is counted as it stands now.",
    row: CollectionsRowSchema,
    report: CollectionsReportSchema,
    notMoney: [
      "period_start",
      "period_end",
      "period",
      "currency",
      "due_count",
      "collected_on_time_count",
      "collected_late_count",
      "failed_count",
      "outstanding_count",
      "in_dunning_count",
      "collection_rate",
      "recovery_rate",
    ],
    rows: collections,
  });
}
