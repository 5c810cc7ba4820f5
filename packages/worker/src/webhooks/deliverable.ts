import type { EventType } from "@tranche/shared";

/**
 * An event as the fan-out hands it to an endpoint's WebhookEndpointObject (`enqueue`). The object
 * delivers `{ type, timestamp: created_at, data }` (Standard Webhooks) with `webhook-id: id`, so
 * the same event enqueued twice is one delivery.
 */
export interface DeliverableEvent {
  /** `evt_…`: the event's public id, also the delivery's `webhook-id`. */
  id: string;
  type: EventType;
  /** ISO 8601: when the event happened; sent as the payload's `timestamp`. */
  created_at: string;
  /** The event's `data` as /v1/events shows it. */
  data: unknown;
}
