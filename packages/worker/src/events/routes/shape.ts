import type { Event, EventType } from "@tranche/shared";
import { events } from "../../db/schema";

/** The columns an event is served from. */
export const EVENT_COLUMNS = {
  id: events.eventId,
  type: events.type,
  customer: events.customerId,
  purchase: events.purchaseId,
  livemode: events.livemode,
  created_at: events.createdAt,
  data: events.data,
};

interface EventRow {
  id: string | null;
  type: string;
  customer: string;
  purchase: string | null;
  livemode: boolean;
  created_at: string;
  data: unknown;
}

/** An event as the API shows it, from its row in D1's copy of the customers' events. */
export function toEvent(row: EventRow): Event {
  return {
    id: row.id ?? "",
    object: "event",
    type: row.type as EventType,
    // Events about a webhook endpoint are stored with an empty customer_id (it is NOT NULL).
    customer: row.customer || null,
    purchase: row.purchase,
    livemode: row.livemode,
    created_at: row.created_at,
    data: row.data as Event["data"],
  };
}
