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
      "every due date is counted again from the capture, and the amount becomes owed in the ledger. What falls " +
      "due at capture is charged before the answer: declined, the answer is 402 `payment_declined` with " +
      "`decline_code` and `purchase`, and the purchase is `declined`, nothing owed.",
    returns: "The captured purchase, status `active`.",
    problems: ["payment_declined"],
  });
}
