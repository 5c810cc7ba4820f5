import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type { ApiKey, ApiKeyWithSecret, KeyCreateParams, KeyRollParams, ListParams } from "../types.generated";
import { Resource } from "./resource";

/**
 * The merchant's own API keys, with its secret key: `tranche.keys`. A key is shown only in the answer
 * that made it (`create`, `roll`); lists show its prefix.
 */
export class Keys extends Resource {
  /** The keys of the calling key's mode, newest first, revoked and rolled ones included. */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<ApiKey> {
    return this.page("/v1/keys", params, options);
  }

  /** A restricted key (`{ type: "restricted", scopes: ["reports:read"] }`) for a dashboard, or another secret key. */
  create(params: KeyCreateParams, options?: RequestOptions): Promise<ApiKeyWithSecret> {
    return this.http.post("/v1/keys", params, options);
  }

  /** A new key in place of `id`, which keeps working for `expires_in` seconds (default 0, up to 7 days). */
  roll(id: string, params: KeyRollParams = {}, options?: RequestOptions): Promise<ApiKeyWithSecret> {
    return this.http.post(path`/v1/keys/${id}/roll`, params, options);
  }

  /** Refused everywhere within a second. The merchant's last secret key of a mode cannot be revoked: roll it. */
  revoke(id: string, options?: RequestOptions): Promise<ApiKey> {
    return this.http.post(path`/v1/keys/${id}/revoke`, undefined, options);
  }
}

/** Any merchant's keys, for the operator (the ADMIN_TOKEN as the key): `tranche.admin.keys`. */
export class AdminKeys extends Resource {
  /** The merchant's keys of both modes, newest first. */
  list(merchantId: string, params: ListParams = {}, options?: RequestOptions): PagePromise<ApiKey> {
    return this.page(path`/v1/admin/merchants/${merchantId}/keys`, params, options);
  }

  /** Any key, even a merchant's last secret key (issue it another with `merchants.createKey`). */
  revoke(id: string, options?: RequestOptions): Promise<ApiKey> {
    return this.http.post(path`/v1/admin/keys/${id}/revoke`, undefined, options);
  }
}
