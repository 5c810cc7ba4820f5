import { path, type RequestOptions } from "../http";
import type { ApiKeyCreateParams, ApiKeyWithSecret, MerchantCreateParams, MerchantWithKey } from "../types.generated";
import { Resource } from "./resource";

/** Admin only: the client's key must be the deployment's ADMIN_TOKEN. */
export class Merchants extends Resource {
  /** Creates a merchant; its `secret_key` is in this answer only. */
  create(params: MerchantCreateParams, options?: RequestOptions): Promise<MerchantWithKey> {
    return this.http.post("/v1/merchants", params, options);
  }

  /** Issues the merchant another key, test mode unless `mode: "live"`; its `secret_key` is in this answer only. */
  createKey(id: string, params: ApiKeyCreateParams = {}, options?: RequestOptions): Promise<ApiKeyWithSecret> {
    return this.http.post(path`/v1/merchants/${id}/keys`, params, options);
  }
}
