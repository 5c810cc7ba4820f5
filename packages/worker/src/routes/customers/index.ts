import type { App } from "../../env";
import { registerCreateCustomer } from "./create";
import { registerListCustomers } from "./list";
import { registerPaymentMethodRoutes } from "./payment-methods";
import { registerRetrieveCustomer } from "./retrieve";

export function registerCustomerRoutes(app: App) {
  registerCreateCustomer(app);
  registerRetrieveCustomer(app);
  registerListCustomers(app);
  registerPaymentMethodRoutes(app);
}
