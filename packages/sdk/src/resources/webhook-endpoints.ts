import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type {
  DeletedWebhookEndpoint,
  ListParams,
  WebhookEndpoint,
  WebhookEndpointCreateParams,
  WebhookEndpointUpdateParams,
  WebhookEndpointWithSecret,
} from "../types.generated";
import { Resource } from "./resource";

/** Where the key's mode's events are delivered. A secret is in the answer that issued it, and nowhere else. */
export class WebhookEndpoints extends Resource {
  /** Subscribes `url` to event types (or `["*"]`); keep the answer's `secret` to verify deliveries. */
  create(params: WebhookEndpointCreateParams, options?: RequestOptions): Promise<WebhookEndpointWithSecret> {
    return this.http.post("/v1/webhook_endpoints", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.http.get(path`/v1/webhook_endpoints/${id}`, {}, options);
  }

  /** Changes only the fields given; `status: "disabled"` pauses deliveries. */
  update(id: string, params: WebhookEndpointUpdateParams, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.http.patch(path`/v1/webhook_endpoints/${id}`, params, options);
  }

  /** Newest first. */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<WebhookEndpoint> {
    return this.page("/v1/webhook_endpoints", params, options);
  }

  del(id: string, options?: RequestOptions): Promise<DeletedWebhookEndpoint> {
    return this.http.delete(path`/v1/webhook_endpoints/${id}`, options);
  }

  /** A new secret, in this answer only; deliveries are signed with the previous one too for 24 hours. */
  rotateSecret(id: string, options?: RequestOptions): Promise<WebhookEndpointWithSecret> {
    return this.http.post(path`/v1/webhook_endpoints/${id}/rotate_secret`, undefined, options);
  }
}
