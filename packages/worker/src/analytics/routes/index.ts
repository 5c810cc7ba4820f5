import type { App } from "../../env";
import { registerPaymentAnalytics } from "./payments";
import { registerRequestAnalytics } from "./requests";

export function registerAnalyticsRoutes(app: App) {
  registerPaymentAnalytics(app);
  registerRequestAnalytics(app);
}
