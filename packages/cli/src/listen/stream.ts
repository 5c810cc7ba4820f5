import WebSocket from "ws";
import type { StreamedEvent } from "./forward";

export interface StreamOptions {
  baseUrl: string;
  apiKey: string;
  types?: string[];
  /** Called for each event, in order; the next waits for it. */
  onEvent: (event: StreamedEvent) => Promise<void>;
  /** Told of each connection and each drop. */
  onStatus: (status: { connected: boolean; reason?: string }) => void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Reads GET /v1/events/stream for as long as `signal` allows, reconnecting after a drop with
 * `since` = the last event handled, so the Worker sends what was missed and nothing twice. Rejects
 * only on a refusal a reconnect cannot mend (a 401: the key is wrong).
 */
export async function readStream(options: StreamOptions, signal: AbortSignal): Promise<void> {
  let last: string | undefined;
  let backoff = 500;
  while (!signal.aborted) {
    const url = new URL("/v1/events/stream", options.baseUrl.replace(/^http/, "ws"));
    if (options.types?.length) url.searchParams.set("types", options.types.join(","));
    if (last) url.searchParams.set("since", last);
    const outcome = await connection(url, options, signal, (id) => {
      last = id;
      backoff = 500;
    });
    if (outcome.fatal) throw new Error(outcome.reason);
    if (signal.aborted) return;
    options.onStatus({ connected: false, reason: outcome.reason });
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

/** One connection, until it closes; events are handled one at a time, in the order they came. */
function connection(
  url: URL,
  options: StreamOptions,
  signal: AbortSignal,
  handled: (id: string) => void,
): Promise<{ fatal: boolean; reason: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${options.apiKey}` } });
    let chain = Promise.resolve();
    const abort = () => ws.close(1000);
    signal.addEventListener("abort", abort, { once: true });
    ws.on("open", () => options.onStatus({ connected: true }));
    ws.on("message", (data) => {
      const event = JSON.parse(String(data)) as StreamedEvent;
      chain = chain.then(async () => {
        await options.onEvent(event);
        handled(event.id);
      });
    });
    ws.on("unexpected-response", (_req, res) => {
      const fatal = res.statusCode === 401 || res.statusCode === 400;
      resolve({ fatal, reason: `the stream answered ${res.statusCode}` });
      ws.terminate();
    });
    let failure: string | undefined;
    // A close always follows: the outcome is decided there.
    ws.on("error", (error) => {
      failure = error.message;
    });
    ws.on("close", (code) => {
      signal.removeEventListener("abort", abort);
      // Resolved once the events received are handled, so `last` is the last of them.
      chain.then(() => resolve({ fatal: false, reason: failure ?? `connection closed (${code})` }));
    });
  });
}
