import type { StreamEvents } from "../webhooks/fan-out";
import { streamName } from "./stream-object/listeners";

/** How the fan-out reaches the event streams: EventStreamObject, one per merchant and mode by name. */
export function streamObjects(env: Env): StreamEvents {
  return (owner, events) => env.EVENT_STREAMS.get(env.EVENT_STREAMS.idFromName(streamName(owner))).push(owner, events);
}
