import type { App } from "../../env";
import { registerCancelPurchase } from "./cancel";
import { registerCapturePurchase } from "./capture";
import { registerCreatePurchase } from "./create";
import { registerExtendInstallment } from "./extend-installment";
import { registerListPurchases } from "./list";
import { registerPayInstallment } from "./pay-installment";
import { registerPayoff } from "./payoff";
import { registerRefundPurchase } from "./refund";
import { registerRetrievePurchase } from "./retrieve";

export function registerPurchaseRoutes(app: App) {
  registerCreatePurchase(app);
  registerRetrievePurchase(app);
  registerListPurchases(app);
  registerCapturePurchase(app);
  registerCancelPurchase(app);
  registerRefundPurchase(app);
  registerPayInstallment(app);
  registerExtendInstallment(app);
  registerPayoff(app);
}
