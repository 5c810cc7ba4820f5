import type { App } from "../../env";
import { registerListRefunds } from "./list";
import { registerListPurchaseRefunds } from "./list-for-purchase";
import { registerRetrieveRefund } from "./retrieve";

export function registerRefundRoutes(app: App) {
  registerRetrieveRefund(app);
  registerListRefunds(app);
  registerListPurchaseRefunds(app);
}
