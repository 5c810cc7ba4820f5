import type { App } from "../../env";
import { registerPurchaseCommand } from "./command-route";

export function registerCapturePurchase(app: App) {
  registerPurchaseCommand(app, {
    action: "capture",
    method: "capturePurchase",
    operationId: "capturePurchase",
    summary: "Capture a purchase",
    description:
      "Captures a purchase created with `capture: manual` (e.g. when the order ships). The schedule starts now: " +
      "every due date is counted again from the capture, and the amount becomes owed in the ledger.",
    returns: "The captured purchase, status `active`.",
  });
}
