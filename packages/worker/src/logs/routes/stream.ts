import type { App } from "../../env";
import { streamName } from "../../events/stream-object/listeners";
import { ApiError } from "../../lib/errors";
import { apiRoute } from "../../routes/problems";
import { noteTailAttached } from "../publish";

const route = apiRoute({
  method: "get",
  path: "/v1/logs/stream",
  operationId: "tailRequestLog",
  tags: ["Events"],
  summary: "Tail the request log as it happens (WebSocket)",
  description:
    "A WebSocket (`Upgrade: websocket`, authenticated like every request) that receives the merchant's API requests " +
    "of the key's mode as they are answered: one text message per request, " +
    '`{"at", "method", "path", "status", "ms", "request_id"}` (`path` without its query string; `request_id` as in ' +
    "the `Request-Id` header). Send `ping` to get `pong`. Lines are best-effort and not replayed: a request made " +
    "while no tail is attached is not kept.\n\n" +
    "Idle tails cost nothing: the socket hibernates between requests, and requests are handed to the stream only " +
    "while a tail is attached (each isolate checks at most once a second, after answering), so a merchant " +
    'nobody tails adds no work to the request path. A tail may miss the first second of another isolate\'s requests. See docs/webhooks.md, "The request log tail".',
  responses: { 101: { description: "Switching protocols: the tail." } },
});

export function registerLogRoutes(app: App) {
  app.openapi(route, async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("validation_error", "This is a WebSocket: connect with `Upgrade: websocket`.");
    }
    const { merchantId, livemode } = c.get("auth");
    const owner = { merchantId, livemode };
    const url = new URL("https://stream.internal/logs");
    url.searchParams.set("owner", JSON.stringify(owner));
    const stub = c.env.EVENT_STREAMS.get(c.env.EVENT_STREAMS.idFromName(streamName(owner)));
    const res = await stub.fetch(url, { headers: { Upgrade: "websocket" } });
    if (res.status === 101) noteTailAttached(owner);
    return res;
  });
}
