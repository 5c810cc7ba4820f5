import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type {
  DeletedWebhookEndpoint,
  ListParams,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreateParams,
  WebhookEndpointUpdateParams,
  WebhookEndpointWithSecret,
  WebhookRecoverParams,
  WebhookRecoverResult,
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

  /** Each event's delivery to the endpoint with its attempts, newest first; `for await` walks every page. */
  deliveries(id: string, params: ListParams = {}, options?: RequestOptions): PagePromise<WebhookDelivery> {
    return this.page(path`/v1/webhook_endpoints/${id}/deliveries`, params, options);
  }

  /** Sends one event again now (same `webhook-id`), even if it was delivered. */
  retryDelivery(id: string, eventId: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.http.post(path`/v1/webhook_endpoints/${id}/deliveries/${eventId}/retry`, undefined, options);
  }

  /** Sends again every failed delivery of the events queued since `params.since`; enable the endpoint first. */
  recover(id: string, params: WebhookRecoverParams, options?: RequestOptions): Promise<WebhookRecoverResult> {
    return this.http.post(path`/v1/webhook_endpoints/${id}/recover`, params, options);
  }
}
