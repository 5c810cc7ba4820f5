import type { App } from "../../env";
import { registerCreateMerchant } from "./create";

export function registerMerchantRoutes(app: App) {
  registerCreateMerchant(app);
}
