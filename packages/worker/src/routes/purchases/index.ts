import type { App } from "../../env";
import { registerCancelPurchase } from "./cancel";
import { registerCapturePurchase } from "./capture";
import { registerCreatePurchase } from "./create";
import { registerListPurchases } from "./list";
import { registerRefundPurchase } from "./refund";
import { registerRetrievePurchase } from "./retrieve";

export function registerPurchaseRoutes(app: App) {
  registerCreatePurchase(app);
  registerRetrievePurchase(app);
  registerListPurchases(app);
  registerCapturePurchase(app);
  registerCancelPurchase(app);
  registerRefundPurchase(app);
}
