import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { logger } from "../lib/log";
import { problemResponse } from "../lib/problem";

/** The longest period the binding allows: a Retry-After never shorter than the real window. */
const LONGEST_PERIOD_SECONDS = 60;

/**
 * Requests per API key, counted by the Workers rate-limiting binding of the key's mode
 * (RATE_LIMIT_TEST, RATE_LIMIT_LIVE in wrangler.toml: each mode its own limit). Runs after
 * auth and before idempotency, so a refused request runs nothing and stores no key.
 *
 * It counts by the key's id, never its secret. Requests without a merchant key (the admin
 * surface, /health, /docs, /openapi.json) are not counted. The binding's counts are per
 * Cloudflare location and approximate: this protects the service, it is not a billing meter.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const keyId = c.get("apiKeyId");
  if (!keyId) return next();
  const limiter = c.get("auth").livemode ? c.env.RATE_LIMIT_LIVE : c.env.RATE_LIMIT_TEST;
  let allowed = true;
  try {
    allowed = (await limiter.limit({ key: keyId })).success;
  } catch (error) {
    // A limiter that cannot answer must not take the API down with it: the request goes on.
    logger.warn("rate limiter failed", { error: String(error) });
  }
  if (allowed) return next();
  return tooManyRequests(c, "This key sent more requests than its limit allows");
});

/** A 429 saying who sent too many, with the Retry-After of the bindings' period. */
function tooManyRequests(c: Context<AppEnv>, who: string): Response {
  // The binding does not say when its window ends; its period is the longest wait before the
  // requests that filled it no longer count, so a client that waits that long is admitted.
  const period = retryAfterSeconds(c.env.RATE_LIMIT_PERIOD_SECONDS);
  return problemResponse(
    c,
    new ApiError("rate_limited", `${who} in ${period} seconds. Retry after ${period} seconds.`),
    { "Retry-After": String(period) },
  );
}

/**
 * Unknown API keys, counted per client address (CF-Connecting-IP) by RATE_LIMIT_UNKNOWN_KEYS: each
 * costs a directory query, so an address that sends more than its budget is refused with a 429,
 * and this isolate refuses it before any further lookup until the period ends. A known key from
 * another address is never affected; from the same address, only when its cached lookup expires.
 */
const refusedAddresses = new Map<string, number>();
/** Bounds the map under a spray of addresses: forgetting early costs one more lookup each. */
const MAX_REFUSED_ADDRESSES = 10_000;

const clientAddress = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "unknown";
const TOO_MANY_UNKNOWN = "This address sent more unknown API keys than its limit allows";

/** The 429 for an address over its budget of unknown keys, before its next key costs a lookup. */
export function refusedAddress(c: Context<AppEnv>): Response | undefined {
  const until = refusedAddresses.get(clientAddress(c));
  return until !== undefined && until > Date.now() ? tooManyRequests(c, TOO_MANY_UNKNOWN) : undefined;
}

/** Counts an unknown key against its address; the 429 once the address is over its budget. */
export async function countUnknownKey(c: Context<AppEnv>): Promise<Response | undefined> {
  const address = clientAddress(c);
  try {
    if ((await c.env.RATE_LIMIT_UNKNOWN_KEYS.limit({ key: address })).success) return undefined;
  } catch (error) {
    logger.warn("rate limiter failed", { error: String(error) });
    return undefined;
  }
  if (refusedAddresses.size >= MAX_REFUSED_ADDRESSES) refusedAddresses.clear();
  refusedAddresses.set(address, Date.now() + retryAfterSeconds(c.env.RATE_LIMIT_PERIOD_SECONDS) * 1000);
  return tooManyRequests(c, TOO_MANY_UNKNOWN);
}

/** The bindings' period from RATE_LIMIT_PERIOD_SECONDS (10 or 60); anything else, the longest. */
function retryAfterSeconds(configured: string | undefined): number {
  return configured === "10" ? 10 : LONGEST_PERIOD_SECONDS;
}
