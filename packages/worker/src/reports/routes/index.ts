import type { App } from "../../env";
import { registerAgingReport } from "./aging";
import { registerCollectionsReport } from "./collections";
import { registerSettlementReport } from "./settlements";

export function registerReportRoutes(app: App) {
  registerSettlementReport(app);
  registerCollectionsReport(app);
  registerAgingReport(app);
}
