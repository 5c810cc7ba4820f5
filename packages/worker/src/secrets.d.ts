// Secrets are not in wrangler.toml, so `wrangler types` cannot see them. Both are optional:
// without ADMIN_TOKEN the admin routes are off; without SENTRY_DSN nothing is sent to Sentry.
declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN?: string;
    SENTRY_DSN?: string;
  }
}
interface Env {
  ADMIN_TOKEN?: string;
  SENTRY_DSN?: string;
}
