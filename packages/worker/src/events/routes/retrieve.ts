import { EventIdPathSchema, EventSchema } from "@tranche/shared";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events } from "../../db/schema";
import type { App } from "../../env";
import { retrieveRoute } from "../../routes/retrieve-route";
import { readModel } from "../../shards";
import { EVENT_COLUMNS, toEvent } from "./shape";

export function registerRetrieveEvent(app: App) {
  retrieveRoute(app, {
    path: "/v1/events/{id}",
    operationId: "retrieveEvent",
    tag: "Events",
    summary: "Retrieve an event",
    description: "One event, with the object as the change left it. Another merchant's or mode's event is a 404.",
    params: EventIdPathSchema,
    item: EventSchema,
    returns: "The event.",
    resource: "event",
    load: async (c, id) => {
      const auth = c.get("auth");
      const [row] = await drizzle(await readModel(c.env, auth.merchantId))
        .select(EVENT_COLUMNS)
        .from(events)
        .where(and(eq(events.eventId, id), eq(events.merchantId, auth.merchantId), eq(events.livemode, auth.livemode)))
        .limit(1);
      return row ? toEvent(row) : null;
    },
  });
}
