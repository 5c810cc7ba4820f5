import type { App } from "../../env";
import { registerCreateMerchant } from "./create";
import { registerCreateMerchantKey } from "./create-key";

export function registerMerchantRoutes(app: App) {
  registerCreateMerchant(app);
  registerCreateMerchantKey(app);
}
