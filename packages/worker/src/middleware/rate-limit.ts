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
  // The binding does not say when its window ends; its period is the longest wait before the
  // requests that filled it no longer count, so a client that waits that long is admitted.
  const period = retryAfterSeconds(c.env.RATE_LIMIT_PERIOD_SECONDS);
  return problemResponse(
    c,
    new ApiError(
      "rate_limited",
      `This key sent more requests than its limit allows in ${period} seconds. Retry after ${period} seconds.`,
    ),
    { "Retry-After": String(period) },
  );
});

/** The bindings' period from RATE_LIMIT_PERIOD_SECONDS (10 or 60); anything else, the longest. */
function retryAfterSeconds(configured: string | undefined): number {
  return configured === "10" ? 10 : LONGEST_PERIOD_SECONDS;
}
