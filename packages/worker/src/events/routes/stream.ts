import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "@tranche/shared";
import type { App } from "../../env";
import { ApiError } from "../../lib/errors";
import { apiRoute } from "../../routes/problems";
import type { Subscription } from "../stream-object";
import { streamName } from "../stream-object/listeners";

const EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;
const TYPE = `(?:${Object.keys(EVENT_TYPES)
  .map((t) => t.replaceAll(".", "\\."))
  .join("|")})`;

const StreamQuerySchema = z.object({
  since: z
    .string()
    .regex(EVENT_ID)
    .optional()
    .openapi({
      description:
        "The last event id the client received: the stream first sends, from /v1/events, every event it missed " +
        "after it, then carries on live. The `Last-Event-ID` header does the same (the query wins).",
      example: "evt_01JDQ8Z6W2N8X4C2V7B5K9M3PG",
    }),
  types: z
    .string()
    .regex(new RegExp(`^${TYPE}(?:,${TYPE})*$`), "must list event types, comma-separated")
    .optional()
    .openapi({
      description: "Comma-separated event types to send; all types when absent.",
      example: "installment.paid",
    }),
});

const route = apiRoute({
  method: "get",
  path: "/v1/events/stream",
  operationId: "streamEvents",
  tags: ["Events"],
  summary: "Stream events as they happen (WebSocket)",
  description:
    "A WebSocket (`Upgrade: websocket`, authenticated like every request) that receives the merchant's events of the " +
    'key\'s mode as they reach /v1/events: one text message per event, `{"id", "type", "created_at", "data"}` ' +
    "(`data` as in /v1/events; thin past 20 KB, as webhooks). Send `ping` to get `pong`.\n\n" +
    "To resume after a dropped connection, connect again with `since` (or `Last-Event-ID`) set to the last id " +
    "received: the events missed meanwhile come first, none twice. Idle streams cost nothing: the socket " +
    "hibernates between events, and a merchant with no stream attached adds no work to event delivery. " +
    'See docs/api.md, "Event stream".',
  request: { query: StreamQuerySchema },
  responses: { 101: { description: "Switching protocols: the stream." } },
});

export function registerStreamEvents(app: App) {
  app.openapi(route, async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("validation_error", "This is a WebSocket: connect with `Upgrade: websocket`.");
    }
    const { since, types } = c.req.valid("query");
    const { merchantId, livemode } = c.get("auth");
    const subscription: Subscription = { owner: { merchantId, livemode }, types: types ? types.split(",") : null };
    const url = new URL("https://stream.internal/");
    url.searchParams.set("subscription", JSON.stringify(subscription));
    // Read by hand, not declared: the OpenAPI document's one header parameter is Idempotency-Key.
    const lastEventId = c.req.header("Last-Event-ID");
    if (lastEventId !== undefined && !EVENT_ID.test(lastEventId)) {
      throw new ApiError("validation_error", "Last-Event-ID is not an event id (evt_…).");
    }
    const resume = since ?? lastEventId;
    if (resume) url.searchParams.set("since", resume);
    const stub = c.env.EVENT_STREAMS.get(c.env.EVENT_STREAMS.idFromName(streamName(subscription.owner)));
    return stub.fetch(url, { headers: { Upgrade: "websocket" } });
  });
}
