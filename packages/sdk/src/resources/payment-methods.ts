import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type { DetachedPaymentMethod, PaymentMethod, PaymentMethodCreateParams } from "../types.generated";
import { Resource } from "./resource";

/** A customer's cards: `tranche.customers.paymentMethods`. */
export class PaymentMethods extends Resource {
  /** Attaches a card from a processor token (test mode: `tok_visa` and the other test tokens). */
  create(customerId: string, params: PaymentMethodCreateParams, options?: RequestOptions): Promise<PaymentMethod> {
    return this.http.post(path`/v1/customers/${customerId}/payment_methods`, params, options);
  }

  /** All of the customer's payment methods, newest first, in one page. */
  list(customerId: string, options?: RequestOptions): PagePromise<PaymentMethod> {
    return this.page(path`/v1/customers/${customerId}/payment_methods`, {}, options);
  }

  /**
   * Detaches a card: no longer listed nor charged. Refused (`payment_method_in_use`) while a purchase owing
   * installments is charged to it, unless another card is the customer's default (the purchase moves there).
   */
  detach(customerId: string, paymentMethodId: string, options?: RequestOptions): Promise<DetachedPaymentMethod> {
    return this.http.delete(path`/v1/customers/${customerId}/payment_methods/${paymentMethodId}`, options);
  }
}
