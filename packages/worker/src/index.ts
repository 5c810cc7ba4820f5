import * as Sentry from "@sentry/cloudflare";
import { createApp } from "./app";

export { CustomerObject } from "./objects/customer";
export { IdempotencyObject } from "./objects/idempotency";

const app = createApp();

/** With no SENTRY_DSN set, Sentry sends nothing. */
export default Sentry.withSentry(
  (env: Env) => ({
    dsn: env.SENTRY_DSN,
    environment: env.ENVIRONMENT,
    tracesSampleRate: 0.01,
  }),
  {
    fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  } satisfies ExportedHandler<Env>,
);
