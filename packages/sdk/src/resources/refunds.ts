import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type { ListParams, Refund, RefundCreateParams, RefundListParams } from "../types.generated";
import { Resource } from "./resource";

/** Refunds of one purchase: `tranche.purchases.refunds`. */
export class PurchaseRefunds extends Resource {
  /** Refunds `amount` of the price, or everything still refundable when it is omitted. */
  create(purchaseId: string, params: RefundCreateParams = {}, options?: RequestOptions): Promise<Refund> {
    return this.http.post(path`/v1/purchases/${purchaseId}/refunds`, params, options);
  }

  /** The purchase's refunds, newest first, current (served by the customer's object); `for await` walks every page. */
  list(purchaseId: string, params: ListParams = {}, options?: RequestOptions): PagePromise<Refund> {
    return this.page(path`/v1/purchases/${purchaseId}/refunds`, params, options);
  }
}

/** Every refund of the merchant: `tranche.refunds`. */
export class Refunds extends Resource {
  /** A refund by id, current: its status and cash returned as its last payout left them. */
  retrieve(id: string, options?: RequestOptions): Promise<Refund> {
    return this.http.get(path`/v1/refunds/${id}`, {}, options);
  }

  /** Newest first, filtered by customer, purchase, status and creation time; may lag a write by milliseconds. */
  list(params: RefundListParams = {}, options?: RequestOptions): PagePromise<Refund> {
    return this.page("/v1/refunds", params, options);
  }
}
