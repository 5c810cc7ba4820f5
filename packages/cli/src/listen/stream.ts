import WebSocket from "ws";
import type { StreamedEvent } from "./forward";

/** Told of each connection and each drop. */
export type OnStatus = (status: { connected: boolean; reason?: string }) => void;

export interface SocketOptions<T> {
  apiKey: string;
  /** Where each connection goes: called before the first and before every reconnect. */
  url: () => URL;
  /** Called for each message, in order; the next waits for it. */
  onMessage: (message: T) => Promise<void>;
  onStatus: OnStatus;
}

export interface StreamOptions {
  baseUrl: string;
  apiKey: string;
  types?: string[];
  /** Called for each event, in order; the next waits for it. */
  onEvent: (event: StreamedEvent) => Promise<void>;
  onStatus: OnStatus;
}

const MAX_BACKOFF_MS = 10_000;

/** The WebSocket URL of one of the API's streams. */
export const socketUrl = (baseUrl: string, path: string): URL => new URL(path, baseUrl.replace(/^http/, "ws"));

/**
 * Reads GET /v1/events/stream for as long as `signal` allows, reconnecting after a drop with
 * `since` = the last event handled, so the Worker sends what was missed and nothing twice. Rejects
 * only on a refusal a reconnect cannot mend (a 401: the key is wrong).
 */
export function readStream(options: StreamOptions, signal: AbortSignal): Promise<void> {
  let last: string | undefined;
  const url = () => {
    const url = socketUrl(options.baseUrl, "/v1/events/stream");
    if (options.types?.length) url.searchParams.set("types", options.types.join(","));
    if (last) url.searchParams.set("since", last);
    return url;
  };
  const onMessage = async (event: StreamedEvent) => {
    await options.onEvent(event);
    last = event.id;
  };
  return readSocket({ apiKey: options.apiKey, url, onMessage, onStatus: options.onStatus }, signal);
}

/**
 * Reads one of the API's WebSocket streams for as long as `signal` allows, reconnecting after a drop
 * with a growing pause; rejects only on a refusal a reconnect cannot mend (a 401 or a 400).
 */
export async function readSocket<T>(options: SocketOptions<T>, signal: AbortSignal): Promise<void> {
  let backoff = 500;
  while (!signal.aborted) {
    const outcome = await connection(options, signal, () => {
      backoff = 500;
    });
    if (outcome.fatal) throw new Error(outcome.reason);
    if (signal.aborted) return;
    options.onStatus({ connected: false, reason: outcome.reason });
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

/** One connection, until it closes; messages are handled one at a time, in the order they came. */
function connection<T>(
  options: SocketOptions<T>,
  signal: AbortSignal,
  handled: () => void,
): Promise<{ fatal: boolean; reason: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(options.url(), { headers: { Authorization: `Bearer ${options.apiKey}` } });
    let chain = Promise.resolve();
    const abort = () => ws.close(1000);
    signal.addEventListener("abort", abort, { once: true });
    ws.on("open", () => options.onStatus({ connected: true }));
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as T;
      chain = chain.then(async () => {
        await options.onMessage(message);
        handled();
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
      // Resolved once the messages received are handled, so `last` is the last of them.
      chain.then(() => resolve({ fatal: false, reason: failure ?? `connection closed (${code})` }));
    });
  });
}
