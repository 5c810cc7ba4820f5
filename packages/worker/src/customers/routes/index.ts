import type { App } from "../../env";
import { registerCustomerStatement } from "../../reports/routes/statement";
import { registerAttachPaymentMethod } from "./attach-payment-method";
import { registerCreateCustomer } from "./create";
import { registerListCustomers } from "./list";
import { registerListPaymentMethods } from "./list-payment-methods";
import { registerRetrieveCustomer } from "./retrieve";

export function registerCustomerRoutes(app: App) {
  registerCreateCustomer(app);
  registerRetrieveCustomer(app);
  registerListCustomers(app);
  registerAttachPaymentMethod(app);
  registerListPaymentMethods(app);
  registerCustomerStatement(app);
}
