import { and, asc, eq, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events } from "../db/schema";
import type { DeliverableEvent } from "../webhooks/deliverable";

/**
 * A page of a merchant's events (one mode's) after the event id `after`, in id order, as the fan-out
 * hands them on; `last` is where the next page starts, null after the last. The walks that make up
 * from D1 for what a queue did not bring use it: a webhook endpoint's `recover`, a resumed event stream.
 */
export async function eventsAfter(
  readModel: D1Database,
  owner: { merchantId: string; livemode: boolean },
  after: string,
  limit: number,
): Promise<{ events: DeliverableEvent[]; last: string | null }> {
  const page = await drizzle(readModel)
    .select({ id: events.eventId, type: events.type, created_at: events.createdAt, data: events.data })
    .from(events)
    .where(and(eq(events.merchantId, owner.merchantId), eq(events.livemode, owner.livemode), gt(events.eventId, after)))
    .orderBy(asc(events.eventId))
    .limit(limit);
  return {
    events: page as DeliverableEvent[],
    last: page.length === limit ? (page.at(-1)?.id ?? null) : null,
  };
}
