import type { App } from "../../env";
import { registerCustomerStatement } from "../../reports/routes/statement";
import { registerAttachPaymentMethod } from "./attach-payment-method";
import { registerCreateCustomer } from "./create";
import { registerDetachPaymentMethod } from "./detach-payment-method";
import { registerListCustomers } from "./list";
import { registerListPaymentMethods } from "./list-payment-methods";
import { registerRedactCustomer } from "./redact";
import { registerRetrieveCustomer } from "./retrieve";
import { registerUpdateCustomer } from "./update";

export function registerCustomerRoutes(app: App) {
  registerCreateCustomer(app);
  registerRetrieveCustomer(app);
  registerListCustomers(app);
  registerUpdateCustomer(app);
  registerRedactCustomer(app);
  registerAttachPaymentMethod(app);
  registerListPaymentMethods(app);
  registerDetachPaymentMethod(app);
  registerCustomerStatement(app);
}
