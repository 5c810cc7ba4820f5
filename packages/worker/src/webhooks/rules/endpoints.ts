import type { EnabledEvent, WebhookEndpoint } from "@tranche/shared";
import type { webhookEndpoints } from "../../db/schema";

/** A webhook endpoint as D1 stores it, secrets included: the API routes and the delivery object read it. */
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

/** How long the previous secret keeps signing after a rotation, so receivers can switch without losing deliveries. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

/** The secrets a delivery at `now` is signed with: the current one, and for a day after a rotation the previous one. */
export function signingSecrets(row: WebhookEndpointRow, now = Date.now()): string[] {
  return previousSecretLive(row, now) && row.previousSecret ? [row.secret, row.previousSecret] : [row.secret];
}

const previousSecretLive = (row: WebhookEndpointRow, now: number) =>
  row.previousSecretExpiresAt !== null && Date.parse(row.previousSecretExpiresAt) > now;

/** Whether an endpoint subscribed to `enabledEvents` (its types, or `*`) takes events of `type`. */
export const subscribesTo = (enabledEvents: readonly string[], type: string): boolean =>
  enabledEvents.includes("*") || enabledEvents.includes(type);

/** The API object. Never the secrets: those are added only to the answer that issued one. */
export function toWebhookEndpoint(row: WebhookEndpointRow, now = Date.now()): WebhookEndpoint {
  return {
    id: row.id,
    object: "webhook_endpoint",
    url: row.url,
    enabled_events: row.enabledEvents as EnabledEvent[],
    description: row.description,
    status: row.status,
    metadata: row.metadata,
    previous_secret_expires_at: previousSecretLive(row, now) ? row.previousSecretExpiresAt : null,
    livemode: row.livemode,
    created_at: row.createdAt,
  };
}
