import { SettlementReportSchema, SettlementRowSchema } from "@tranche/shared";
import type { App } from "../../env";
import { settlements } from "../storage/queries";
import { registerPeriodReport } from "./period-report";

export function registerSettlementReport(app: App) {
  registerPeriodReport(app, {
    type: "settlements",
    operationId: "settlementReport",
    summary: "Settlement report",
    description:
      "Per period and currency, from the ledger and exact to the minor unit: what was captured, collected, " +
      "refunded and written off, the fees and interest, the receivable at each end, and the net payable to you. " +
      "Every row satisfies receivable_opening + captured + interest_charged + late_fees + extension_fees − " +
      "collected − refund_reductions − interest_waived − written_off = receivable_closing. Read from rollups kept " +
      "with the ledger's copy in D1, so it answers at once however large the book; it may lag a write by milliseconds.",
    row: SettlementRowSchema,
    report: SettlementReportSchema,
    notMoney: ["period_start", "period_end", "period", "currency"],
    rows: settlements,
  });
}
