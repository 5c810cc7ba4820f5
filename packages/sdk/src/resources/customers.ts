import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type { Customer, CustomerCreateParams, ListParams } from "../types.generated";
import { PaymentMethods } from "./payment-methods";
import { Resource } from "./resource";

export class Customers extends Resource {
  readonly paymentMethods = new PaymentMethods(this.http);

  create(params: CustomerCreateParams = {}, options?: RequestOptions): Promise<Customer> {
    return this.http.post("/v1/customers", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<Customer> {
    return this.http.get(path`/v1/customers/${id}`, {}, options);
  }

  /** Newest first. Lists may lag a write by milliseconds; `retrieve` is always current. */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<Customer> {
    return this.page("/v1/customers", params, options);
  }
}
