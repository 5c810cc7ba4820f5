import { EventListParamsSchema, EventSchema } from "@tranche/shared";
import { eq, isNotNull } from "drizzle-orm";
import { events } from "../../db/schema";
import type { App } from "../../env";
import { scopedPage } from "../../lib/pagination";
import { listRoute } from "../../routes/list-route";
import { readModel } from "../../shards";
import { EVENT_COLUMNS, toEvent } from "./shape";

export function registerListEvents(app: App) {
  listRoute(app, {
    path: "/v1/events",
    operationId: "listEvents",
    tag: "Events",
    summary: "List events",
    description:
      "Newest first, filtered by type, customer, purchase and creation time. Events are kept at least 30 days; " +
      "test-mode and live-mode events never mix. Served from the read model, which may lag by milliseconds.",
    query: EventListParamsSchema,
    item: EventSchema,
    name: "EventList",
    returns: "A page of events.",
    page: async (c, q) =>
      scopedPage(
        await readModel(c.env, c.get("auth").merchantId),
        c.get("auth"),
        { ...events, table: events, id: events.eventId },
        q,
        {
          fields: EVENT_COLUMNS,
          filters: [
            isNotNull(events.eventId),
            q.type ? eq(events.type, q.type) : undefined,
            q.customer ? eq(events.customerId, q.customer) : undefined,
            q.purchase ? eq(events.purchaseId, q.purchase) : undefined,
          ],
          map: toEvent,
        },
      ),
  });
}
