import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type { ExtendInstallmentParams, Purchase, PurchaseCreateParams, PurchaseListParams } from "../types.generated";
import { PurchaseRefunds } from "./refunds";
import { Resource } from "./resource";

/** The customer's operations on one installment (numbered from 1): `tranche.purchases.installments`. */
export class Installments extends Resource {
  /** Charges the installment now; a decline throws PaymentDeclinedError and changes nothing. */
  pay(purchaseId: string, n: number, options?: RequestOptions): Promise<Purchase> {
    return this.http.post(path`/v1/purchases/${purchaseId}/installments/${n}/pay`, undefined, options);
  }

  /** Moves a scheduled installment's due date `days` later. */
  extend(purchaseId: string, n: number, params: ExtendInstallmentParams, options?: RequestOptions): Promise<Purchase> {
    return this.http.post(path`/v1/purchases/${purchaseId}/installments/${n}/extend`, params, options);
  }
}

export class Purchases extends Resource {
  readonly refunds = new PurchaseRefunds(this.http);
  readonly installments = new Installments(this.http);

  /** Creates the purchase with its full installment schedule. */
  create(params: PurchaseCreateParams, options?: RequestOptions): Promise<Purchase> {
    return this.http.post("/v1/purchases", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<Purchase> {
    return this.http.get(path`/v1/purchases/${id}`, {}, options);
  }

  /** Newest first, filtered by customer, status and creation time; may lag a write by milliseconds. */
  list(params: PurchaseListParams = {}, options?: RequestOptions): PagePromise<Purchase> {
    return this.page("/v1/purchases", params, options);
  }

  /** Captures a `capture: "manual"` purchase: its schedule starts now. */
  capture(id: string, options?: RequestOptions): Promise<Purchase> {
    return this.http.post(path`/v1/purchases/${id}/capture`, undefined, options);
  }

  /** Releases an uncaptured purchase; a captured one is refunded instead. */
  cancel(id: string, options?: RequestOptions): Promise<Purchase> {
    return this.http.post(path`/v1/purchases/${id}/cancel`, undefined, options);
  }

  /** Charges everything still owed at once; interest of months not yet due is waived. */
  payoff(id: string, options?: RequestOptions): Promise<Purchase> {
    return this.http.post(path`/v1/purchases/${id}/payoff`, undefined, options);
  }
}
