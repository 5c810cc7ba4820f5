// Secrets and local-only vars are not in wrangler.toml, so `wrangler types` cannot see them.
// Without ADMIN_TOKEN the admin routes are off; without SENTRY_DSN nothing is sent to Sentry; without the
// ANALYTICS_* secrets, analytics on Analytics Engine answer 503; without PAGERDUTY_ROUTING_KEY the monitor only logs.
declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN?: string;
    /**
     * The keys secrets are sealed with at rest (src/secrets/keyring.ts): `<id>:<base64 of 32 bytes>`,
     * comma-separated, the first sealing. Without it the routes that issue secrets answer 503.
     */
    SECRETS_KEY?: string;
    SENTRY_DSN?: string;
    /** JSON overriding the collections policy's defaults (dunning, late fees, reminders, extensions). */
    COLLECTIONS_POLICY?: string;
    /** Analytics Engine's SQL API (backend "engine"): the account that owns the dataset, and a token with Account Analytics Read. */
    ANALYTICS_ACCOUNT_ID?: string;
    ANALYTICS_API_TOKEN?: string;
    /** The PagerDuty service's Events API v2 integration key: the monitor's alerts (src/monitor/run.ts) go there. */
    PAGERDUTY_ROUTING_KEY?: string;
    /**
     * The processor adapter live mode charges through. Unset: `sk_live_` keys are refused with 403
     * `livemode_unavailable`. `simulator` is for staging only: live keys, simulated cards.
     */
    LIVE_PROCESSOR?: string;
    /**
     * `"true"` lets webhook endpoints use plain http to localhost (src/webhooks/rules/url-policy.ts). Local
     * development only: `pnpm dev` and the tests set it; it is not in wrangler.toml, so no deploy has it.
     */
    WEBHOOK_ALLOW_HTTP?: string;
    /**
     * Tests and local development only: every processor call waits this long, `"<ms>"` or
     * `"<min>-<max>"` per round trip (src/processor/latent.ts), so requests and alarms interleave
     * with charges in flight as they do with a real processor. Unset: no wait. Not in wrangler.toml.
     */
    PROCESSOR_LATENCY_MS?: string;
    /** Set only by `pnpm bench`: turns on the bare baseline route. */
    BENCH_BARE_ROUTE?: string;
  }
}
interface Env extends Cloudflare.Env {}
