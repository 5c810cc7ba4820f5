import { EventIdPathSchema, EventSchema } from "@tranche/shared";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events } from "../../db/schema";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { EVENT_COLUMNS, toEvent } from "./shape";

const route = apiRoute({
  method: "get",
  path: "/v1/events/{id}",
  operationId: "retrieveEvent",
  tags: ["Events"],
  summary: "Retrieve an event",
  description: "One event, with the object as the change left it. Another merchant's or mode's event is a 404.",
  request: { params: EventIdPathSchema },
  responses: { 200: jsonResponse(EventSchema, "The event.") },
});

export function registerRetrieveEvent(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const auth = c.get("auth");
    const [row] = await drizzle(c.env.DB)
      .select(EVENT_COLUMNS)
      .from(events)
      .where(and(eq(events.eventId, id), eq(events.merchantId, auth.merchantId), eq(events.livemode, auth.livemode)))
      .limit(1);
    if (!row) throw notFound("event", id);
    return c.json(toEvent(row), 200);
  });
}
