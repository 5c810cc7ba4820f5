import { signWebhook } from "@tranche/shared";
import { ATTEMPT_TIMEOUT_MS, BODY_HEAD_BYTES, type Outcome, outcomeOf, retryAfterMs } from "../rules/schedule";
import type { AttemptRecord } from "./store";

/** What an attempt needs from the world; the object passes the real ones, tests their own. */
export interface Transport {
  fetch: (request: Request) => Promise<Response>;
  /** Unix ms. */
  now: () => number;
  /** The signal that cuts an attempt off after `ms`; a test's can fire at once, so it need not wait 15 s. */
  timeout: (ms: number) => AbortSignal;
}

export const realTransport: Transport = {
  fetch: (request) => fetch(request),
  now: () => Date.now(),
  timeout: (ms) => AbortSignal.timeout(ms),
};

export interface AttemptResult extends AttemptRecord {
  outcome: Outcome;
  retryAfterMs: number | null;
}

/**
 * One POST of one event, signed for this attempt's second with every live secret. Redirects are
 * not followed (a 3xx is a failure, and following one could reach a host the URL policy refuses);
 * the whole attempt, body read included, is cut off at 15 s, and only the first 1 KB is read.
 */
export async function attempt(
  t: Transport,
  delivery: { url: string; eventId: string; body: string; secrets: string[] },
): Promise<AttemptResult> {
  const started = t.now();
  const timestamp = Math.floor(started / 1000);
  const signature = await signWebhook({ id: delivery.eventId, timestamp, body: delivery.body }, delivery.secrets);
  const signal = t.timeout(ATTEMPT_TIMEOUT_MS);
  const request = new Request(delivery.url, {
    method: "POST",
    redirect: "manual",
    signal,
    headers: {
      "content-type": "application/json",
      "user-agent": "Tranche-Webhooks/1.0",
      "webhook-id": delivery.eventId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    },
    body: delivery.body,
  });
  try {
    const response = await t.fetch(request);
    const latency_ms = Math.max(0, t.now() - started);
    const response_body = await head(response, signal);
    return {
      attempted_at: started,
      status_code: response.status,
      latency_ms,
      response_body,
      error: null,
      outcome: outcomeOf(response.status),
      retryAfterMs: retryAfterMs(response.status, response.headers.get("retry-after"), t.now()),
    };
  } catch (cause) {
    const error = signal.aborted
      ? `timed out after ${ATTEMPT_TIMEOUT_MS / 1000} s`
      : `request failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    return failure(started, Math.max(0, t.now() - started), error);
  }
}

export const failure = (attempted_at: number, latency_ms: number, error: string): AttemptResult => ({
  attempted_at,
  status_code: null,
  latency_ms,
  response_body: null,
  error,
  outcome: "failed",
  retryAfterMs: null,
});

/** The answer's first bytes as text; the rest is never read (a receiver could send gigabytes). */
async function head(response: Response, signal: AbortSignal): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_HEAD_BYTES && !signal.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short is still an answer: keep what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, BODY_HEAD_BYTES));
}
