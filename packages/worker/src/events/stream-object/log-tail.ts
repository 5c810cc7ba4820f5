import type { RequestLine } from "@tranche/shared";
import type { StreamKind, StreamOwner } from "./listeners";

/** A log tail's attachment; it survives hibernation. An event stream's is its Subscription, which has no kind. */
export interface LogTail {
  kind: "logs";
  owner: StreamOwner;
}

/** The tag log tails are accepted with, so the object finds them without waking the event streams' attachments. */
export const LOG_TAIL_TAG = "logs";

/** Which kind of stream a socket of the object is. */
export function kindOf(ws: WebSocket): StreamKind {
  return (ws.deserializeAttachment() as Partial<LogTail>).kind === "logs" ? "logs" : "events";
}

/** One request, one text message. */
export function sendLine(ws: WebSocket, line: RequestLine): void {
  try {
    ws.send(JSON.stringify(line));
  } catch {
    // Closed meanwhile: its close handler clears the mark if it was the last.
  }
}
