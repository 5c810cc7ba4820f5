// Miniflare options for the projects that test the rate limiter (this package's and the SDK's):
// wrangler.toml's bindings with limits a test reaches in a few requests, on the shorter period so a
// test that waits out a window waits 10 s, not 60.

/** Requests per key per period in the rate-limit projects: each mode its own, as deployed. */
export const LOW_LIMITS = { test: 5, live: 8, unknownKeys: 3 } as const;
export const LOW_PERIOD_SECONDS = 10;

export function lowRateLimits<B extends Record<string, unknown>>(bindings: B) {
  const simple = (limit: number) => ({ limit, period: LOW_PERIOD_SECONDS as 10 });
  return {
    bindings: { ...bindings, RATE_LIMIT_PERIOD_SECONDS: String(LOW_PERIOD_SECONDS) },
    ratelimits: {
      RATE_LIMIT_TEST: { namespace_id: "1001", simple: simple(LOW_LIMITS.test) },
      RATE_LIMIT_LIVE: { namespace_id: "1002", simple: simple(LOW_LIMITS.live) },
      RATE_LIMIT_UNKNOWN_KEYS: { namespace_id: "1003", simple: simple(LOW_LIMITS.unknownKeys) },
    },
  };
}
