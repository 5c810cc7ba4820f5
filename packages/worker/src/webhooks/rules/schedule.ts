// The delivery rules of Standard Webhooks as Tranche applies them: pure, no Cloudflare imports, so
// the endpoint object and its tests share one reading of the schedule.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long after the previous attempt each attempt is made: at once, then 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 14 h, 20 h and 24 h (the spec's schedule). Ten attempts; after the last, the delivery fails.
 */
export const RETRY_DELAYS_MS = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;
/** A Retry-After is honoured up to this, the schedule's longest step: a receiver cannot park a delivery for days. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;
/** Each attempt is cut off after this, connection and body read included. */
export const ATTEMPT_TIMEOUT_MS = 15 * SECOND;
/** The first bytes of an answer kept in the attempt log. */
export const BODY_HEAD_BYTES = 1024;
/** The largest body sent; a bigger event is sent thin (see `payloadFor`). */
export const MAX_BODY_BYTES = 20 * 1024;
/** An endpoint that has failed every attempt this long is disabled… */
export const DISABLE_AFTER_MS = 5 * DAY;
/** …and warned (`webhook_endpoint.failing`) a day before. */
export const WARN_AFTER_MS = 4 * DAY;

export type Outcome = "succeeded" | "failed" | "gone";

/** 2xx succeeds; 410 Gone means the receiver is gone for good; anything else, 3xx included (redirects are not followed), fails. */
export function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return "succeeded";
  return status === 410 ? "gone" : "failed";
}

/**
 * When to try again after a failed attempt number `attempts` (1-based) made at `at`, or null when
 * that was the last. A Retry-After (only on 429 and 503) can push the next attempt later than the
 * schedule's step but never earlier, and never more than 24 h away: max(step, Retry-After), capped.
 */
export function nextAttemptAt(attempts: number, at: number, retryAfterMs: number | null = null): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const step = RETRY_DELAYS_MS[attempts] as number;
  const wait = retryAfterMs === null ? step : Math.min(Math.max(step, retryAfterMs), MAX_RETRY_AFTER_MS);
  return at + wait;
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`, honoured on 429 and 503 only. */
export function retryAfterMs(status: number, header: string | null, now: number): number | null {
  if ((status !== 429 && status !== 503) || !header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * SECOND;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export type HealthAction = "none" | "warn" | "disable";

/**
 * What an endpoint failing since `failingSince` (its first failed attempt after its last success;
 * null when it is healthy) calls for at `now`. `warned`: the warning was already recorded.
 */
export function healthAction(failingSince: number | null, warned: boolean, now: number): HealthAction {
  if (failingSince === null) return "none";
  if (now - failingSince >= DISABLE_AFTER_MS) return "disable";
  if (now - failingSince >= WARN_AFTER_MS && !warned) return "warn";
  return "none";
}

/** When the endpoint's health must next be looked at, even if no delivery is due then. */
export function nextHealthCheck(failingSince: number | null, warned: boolean): number | null {
  if (failingSince === null) return null;
  return failingSince + (warned ? DISABLE_AFTER_MS : WARN_AFTER_MS);
}

interface WebhookEvent {
  id: string;
  type: string;
  created_at: string;
  data: unknown;
}

const body = (event: WebhookEvent) =>
  JSON.stringify({ type: event.type, timestamp: event.created_at, data: event.data });

const fits = (payload: string) => new TextEncoder().encode(payload).length <= MAX_BODY_BYTES;
const thin = <E extends WebhookEvent>(event: E): E => ({ ...event, data: { id: event.id, truncated: true } });

/**
 * The event as it is delivered. One whose body would pass 20 KB is sent thin rather than cut (cut
 * JSON would not parse): `data` is then `{ id, truncated: true }`, and the receiver fetches the whole
 * event with GET /v1/events/{id}. Thinned before it is queued, so no event outgrows a queue message.
 */
export const asDelivered = <E extends WebhookEvent>(event: E): E => (fits(body(event)) ? event : thin(event));

/** The body sent for an event: Standard Webhooks' `{type, timestamp, data}`, thin past 20 KB. */
export function payloadFor(event: WebhookEvent): string {
  const full = body(event);
  return fits(full) ? full : body(thin(event));
}
