/**
 * One answered request as a request log tail receives it (GET /v1/logs/stream, a WebSocket text
 * message): the Worker sends it, `tranche logs tail` prints it.
 */
export interface RequestLine {
  /** When the answer was given (ISO 8601). */
  at: string;
  method: string;
  /** The path alone: a query string may carry credentials, and is never sent. */
  path: string;
  status: number;
  /** The request's latency, in milliseconds. */
  ms: number;
  /** As in the `Request-Id` header. */
  request_id: string;
}
