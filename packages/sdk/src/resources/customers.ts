import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type {
  Customer,
  CustomerCreateParams,
  CustomerUpdateParams,
  ListParams,
  Statement,
  StatementParams,
} from "../types.generated";
import { PaymentMethods } from "./payment-methods";
import type { CsvFormat } from "./reports";
import { Resource } from "./resource";

export class Customers extends Resource {
  readonly paymentMethods = new PaymentMethods(this.http);

  create(params: CustomerCreateParams = {}, options?: RequestOptions): Promise<Customer> {
    return this.http.post("/v1/customers", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<Customer> {
    return this.http.get(path`/v1/customers/${id}`, {}, options);
  }

  /**
   * Changes what is given: metadata merged key by key (a key set to "" is removed), credit limits merged
   * per currency, `null` clears the name, email or default card. Refused once the customer is redacted.
   */
  update(id: string, params: CustomerUpdateParams, options?: RequestOptions): Promise<Customer> {
    return this.http.post(path`/v1/customers/${id}`, params, options);
  }

  /**
   * Erases the customer's personal data everywhere Tranche keeps it, keeping ids, amounts and the ledger.
   * Refused while money is owed (`balance_outstanding`). The answer reads `redacted: true`.
   */
  redact(id: string, options?: RequestOptions): Promise<Customer> {
    return this.http.post(path`/v1/customers/${id}/redact`, {}, options);
  }

  /** Newest first. Lists may lag a write by milliseconds; `retrieve` is always current. */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<Customer> {
    return this.page("/v1/customers", params, options);
  }

  /** The customer's statement over [from, to): every posting and the balance at both ends. Always current. */
  statement(id: string, params: StatementParams & CsvFormat, options?: RequestOptions): Promise<string>;
  statement(id: string, params: StatementParams, options?: RequestOptions): Promise<Statement>;
  statement(id: string, params: StatementParams, options?: RequestOptions): Promise<Statement | string> {
    return this.report(path`/v1/customers/${id}/statement`, params, options);
  }

  /** The statement's CSV export as a stream of bytes. */
  statementStream(id: string, params: StatementParams, options?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
    return this.http.get(path`/v1/customers/${id}/statement`, { ...params, format: "csv" }, options, "stream");
  }
}
