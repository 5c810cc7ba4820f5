import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events, webhookEndpoints } from "../../db/schema";
import { eventsAfter } from "../../events/after";
import { newId } from "../../lib/ids";
import type { DeliverableEvent } from "../deliverable";
import { type EventQueue, sendEvents } from "../event-batch";
import { subscribesTo, toWebhookEndpoint, type WebhookEndpointRow } from "../rules/endpoints";
import { writeResealed } from "../storage/sealed-secrets";

/**
 * The object's view of D1: the endpoint's row (in the directory), read before every attempt so that a new URL, a
 * rotated secret, a disable or a delete takes effect on the next attempt; and the events about the
 * endpoint itself.
 *
 * Those events are not a customer's: they go straight into the merchant's read-model shard's `events` with an empty
 * `customer_id` (the API shows `customer: null`), so /v1/events lists them, and then onto the
 * webhook events queue, so the merchant's other endpoints get them like any event.
 *
 * Each is announced before the change it tells of is written, and keyed by what it is about, so a
 * run that dies in between announces the same event (same `evt_` id) again when the alarm retries:
 * at least once, never as two different events.
 */
export class EndpointRegistry {
  private readonly db;

  constructor(
    /** The directory, where the endpoints are. */
    d1: D1Database,
    /** The read-model shard of a merchant, where its events are (src/shards/). */
    private readonly readModel: (merchantId: string) => Promise<D1Database>,
    /** Asked at each send, so a test can swap the queue. */
    private readonly queue: () => EventQueue,
  ) {
    this.db = drizzle(d1);
  }

  load(id: string): Promise<WebhookEndpointRow | undefined> {
    return this.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get();
  }

  /** Writes back an endpoint's secrets sealed again, unless a rotation changed them meanwhile. */
  reseal(row: WebhookEndpointRow, resealed: Pick<WebhookEndpointRow, "secret" | "previousSecret">): Promise<void> {
    return writeResealed(this.db, row, resealed);
  }

  /**
   * Announces `webhook_endpoint.disabled`, then disables the endpoint. Keyed by the row's
   * `updated_at`: an endpoint enabled again and disabled later gets a new event.
   */
  async disable(row: WebhookEndpointRow, reason: "gone" | "failing", now: number): Promise<void> {
    if (row.status === "disabled") return;
    const at = new Date(now).toISOString();
    const disabled = { ...row, status: "disabled" as const, updatedAt: at };
    await this.announce(disabled, "webhook_endpoint.disabled", `disabled:${row.updatedAt}`, now, { reason });
    await this.db
      .update(webhookEndpoints)
      .set({ status: "disabled", updatedAt: at })
      .where(and(eq(webhookEndpoints.id, row.id), eq(webhookEndpoints.status, "enabled")));
  }

  /** Announces `webhook_endpoint.failing`, once per run of failures (keyed by when it began). */
  async warn(row: WebhookEndpointRow, failingSince: number, now: number): Promise<void> {
    await this.announce(row, "webhook_endpoint.failing", `failing:${failingSince}`, now, {
      failing_since: new Date(failingSince).toISOString(),
    });
  }

  /**
   * A page of the merchant's events (its mode's) after the event id `after`, in id order, and those
   * of them the endpoint subscribes to; `last` is where the next page starts, null after the last.
   */
  async eventsAfter(
    row: WebhookEndpointRow,
    after: string,
    limit: number,
  ): Promise<{ events: DeliverableEvent[]; last: string | null }> {
    const page = await eventsAfter(await this.readModel(row.merchantId), row, after, limit);
    return { events: page.events.filter((e) => subscribesTo(row.enabledEvents, e.type)), last: page.last };
  }

  /** Records the event (the first record of its key wins) and sends that record on to the queue. */
  private async announce(
    row: WebhookEndpointRow,
    type: "webhook_endpoint.disabled" | "webhook_endpoint.failing",
    key: string,
    now: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    const id = `${row.id}:${key}`;
    const shard = drizzle(await this.readModel(row.merchantId));
    await shard
      .insert(events)
      .values({
        id,
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
    const stored = await shard
      .select({ eventId: events.eventId, createdAt: events.createdAt, data: events.data })
      .from(events)
      .where(eq(events.id, id))
      .get();
    if (!stored?.eventId) throw new Error(`event ${id} was not recorded`);
    const event: DeliverableEvent = { id: stored.eventId, type, created_at: stored.createdAt, data: stored.data };
    await sendEvents(this.queue(), row.merchantId, row.livemode, [event]);
  }
}
