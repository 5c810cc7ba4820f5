import * as Sentry from "@sentry/cloudflare";
import { createApp } from "./app";
import { CustomerObject as CustomerObjectBase } from "./objects/customer";
import { IdempotencyObject as IdempotencyObjectBase } from "./objects/idempotency";

/** With no SENTRY_DSN set, Sentry sends nothing. */
const sentryOptions = (env: Env) => ({
  dsn: env.SENTRY_DSN,
  environment: env.ENVIRONMENT,
  tracesSampleRate: 0.01,
});

export const CustomerObject = Sentry.instrumentDurableObjectWithSentry(sentryOptions, CustomerObjectBase);
export const IdempotencyObject = Sentry.instrumentDurableObjectWithSentry(sentryOptions, IdempotencyObjectBase);

const app = createApp();

export default Sentry.withSentry(sentryOptions, {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>);
