import type { App } from "../../env";
import { registerPurchaseCommand } from "./command-route";

export function registerCancelPurchase(app: App) {
  registerPurchaseCommand(app, {
    action: "cancel",
    method: "cancelPurchase",
    operationId: "cancelPurchase",
    summary: "Cancel an uncaptured purchase",
    description:
      "Releases a purchase created with `capture: manual` that has not been captured: nothing was owed, so " +
      "nothing is charged or posted. A captured purchase is refunded instead.",
    returns: "The cancelled purchase; its installments are `cancelled`.",
  });
}
