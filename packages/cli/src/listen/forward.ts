import { signWebhook } from "@tranche/shared/webhooks/signature";

/** An event as the stream sends it (GET /v1/events/stream). */
export interface StreamedEvent {
  id: string;
  type: string;
  created_at: string;
  data: unknown;
}

export interface Forwarded {
  event: string;
  type: string;
  /** The receiver's status, or null when no answer came. */
  status: number | null;
  latency_ms: number;
  error?: string;
}

const TIMEOUT_MS = 15_000;

/**
 * POSTs the event to the receiver as a delivery would be: the same body (`{type, timestamp, data}`),
 * `webhook-id` the event id, signed with `secret` by the signer the Worker uses; 15 s to answer, as a
 * delivery. A failure is returned, never thrown: the listener prints it and goes on.
 */
export async function forward(url: string, event: StreamedEvent, secret: string, now = Date.now): Promise<Forwarded> {
  const body = JSON.stringify({ type: event.type, timestamp: event.created_at, data: event.data });
  const timestamp = Math.floor(now() / 1000);
  const signature = await signWebhook({ id: event.id, timestamp, body }, [secret]);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "tranche-cli",
        "webhook-id": event.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { event: event.id, type: event.type, status: res.status, latency_ms: latency() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { event: event.id, type: event.type, status: null, latency_ms: latency(), error: cause ?? String(error) };
  }
}

/** One line per forwarded event: when, type, id, the receiver's answer and how long it took. */
export function forwardedLine(f: Forwarded, at = new Date()): string {
  const answer = f.status === null ? `failed: ${f.error}` : String(f.status);
  return `${at.toISOString().slice(11, 19)}  ${f.type.padEnd(26)} ${f.event}  -> ${answer} (${f.latency_ms} ms)`;
}
