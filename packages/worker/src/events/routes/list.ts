import { EventListParamsSchema, EventSchema, listSchema } from "@tranche/shared";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events } from "../../db/schema";
import type { App } from "../../env";
import { rangeAndCursor, toPage } from "../../lib/pagination";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { EVENT_COLUMNS, toEvent } from "./shape";

const route = apiRoute({
  method: "get",
  path: "/v1/events",
  operationId: "listEvents",
  tags: ["Events"],
  summary: "List events",
  description:
    "Newest first, filtered by type, customer, purchase and creation time. Events are kept at least 30 days; " +
    "test-mode and live-mode events never mix. Served from the read model, which may lag by milliseconds.",
  request: { query: EventListParamsSchema },
  responses: { 200: jsonResponse(listSchema(EventSchema, "EventList"), "A page of events.") },
});

export function registerListEvents(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const auth = c.get("auth");
    const rows = await drizzle(c.env.DB)
      .select(EVENT_COLUMNS)
      .from(events)
      .where(
        and(
          eq(events.merchantId, auth.merchantId),
          eq(events.livemode, auth.livemode),
          isNotNull(events.eventId),
          q.type ? eq(events.type, q.type) : undefined,
          q.customer ? eq(events.customerId, q.customer) : undefined,
          q.purchase ? eq(events.purchaseId, q.purchase) : undefined,
          ...rangeAndCursor(q, events.createdAt, events.eventId),
        ),
      )
      .orderBy(desc(events.eventId))
      .limit(q.limit + 1);
    return c.json(toPage(rows.map(toEvent), q.limit), 200);
  });
}
