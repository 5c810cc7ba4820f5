import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events, webhookEndpoints } from "../../db/schema";
import { newId } from "../../lib/ids";
import { toWebhookEndpoint, type WebhookEndpointRow } from "../../webhooks/endpoints";

/**
 * The object's view of D1: the endpoint's row, read before every attempt so that a new URL, a
 * rotated secret, a disable or a delete takes effect on the next attempt; and the events about the
 * endpoint itself.
 *
 * Those events are not a customer's: they go straight into D1's `events` with an empty
 * `customer_id` (the API shows `customer: null`), so /v1/events lists them. They are not fanned out
 * to the merchant's endpoints (the fan-out reads the customers' outboxes).
 */
export class EndpointRegistry {
  private readonly db;

  constructor(d1: D1Database) {
    this.db = drizzle(d1);
  }

  load(id: string): Promise<WebhookEndpointRow | undefined> {
    return this.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get();
  }

  /**
   * Disables the endpoint and records `webhook_endpoint.disabled`, in one D1 batch. Keyed by the
   * row's `updated_at`, so an alarm that runs again after a crash records the event once; an
   * endpoint enabled again and disabled later gets a new event.
   */
  async disable(row: WebhookEndpointRow, reason: "gone" | "failing", now: number): Promise<void> {
    if (row.status === "disabled") return;
    const at = new Date(now).toISOString();
    const disabled = { ...row, status: "disabled" as const, updatedAt: at };
    await this.db.batch([
      this.eventInsert(disabled, "webhook_endpoint.disabled", `disabled:${row.updatedAt}`, now, { reason }),
      this.db
        .update(webhookEndpoints)
        .set({ status: "disabled", updatedAt: at })
        .where(and(eq(webhookEndpoints.id, row.id), eq(webhookEndpoints.status, "enabled"))),
    ]);
  }

  /** Records `webhook_endpoint.failing` once per run of failures (keyed by when it began). */
  async warn(row: WebhookEndpointRow, failingSince: number, now: number): Promise<void> {
    await this.eventInsert(row, "webhook_endpoint.failing", `failing:${failingSince}`, now, {
      failing_since: new Date(failingSince).toISOString(),
    });
  }

  private eventInsert(
    row: WebhookEndpointRow,
    type: "webhook_endpoint.disabled" | "webhook_endpoint.failing",
    key: string,
    now: number,
    details: Record<string, unknown>,
  ) {
    return this.db
      .insert(events)
      .values({
        id: `${row.id}:${key}`,
        merchantId: row.merchantId,
        livemode: row.livemode,
        customerId: "",
        type,
        purchaseId: null,
        data: { object: toWebhookEndpoint(row, now), ...details },
        createdAt: new Date(now).toISOString(),
        eventId: newId("evt", now),
      })
      .onConflictDoNothing();
  }
}
