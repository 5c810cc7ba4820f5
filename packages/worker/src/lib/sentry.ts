import type { DurableObject } from "cloudflare:workers";
import * as Sentry from "@sentry/cloudflare";

// Sentry wraps the Worker and both Durable Objects where SENTRY_DSN is set. Elsewhere the bare
// code runs: without a DSN the wrappers send nothing, yet wrapping every request and RPC call
// cost about a fifth of purchase throughput in `pnpm bench`.

export const sentryOptions = (env: Env) => ({
  dsn: env.SENTRY_DSN,
  environment: env.ENVIRONMENT,
  tracesSampleRate: 0.01,
});

type DurableObjectClass = new (ctx: DurableObjectState, env: Env) => DurableObject<Env>;

export function instrumentObject<C extends DurableObjectClass>(Base: C): C {
  const Instrumented = Sentry.instrumentDurableObjectWithSentry(sentryOptions, Base);
  return new Proxy(Base, {
    construct(_target, args: [DurableObjectState, Env], newTarget) {
      return Reflect.construct(args[1].SENTRY_DSN ? Instrumented : Base, args, newTarget);
    },
  });
}

type Fetch = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

export function instrumentFetch(fetch: Fetch): ExportedHandler<Env> {
  const instrumented = Sentry.withSentry(sentryOptions, { fetch });
  return {
    fetch: (request, env, ctx) =>
      (env.SENTRY_DSN && instrumented.fetch ? instrumented.fetch : fetch)(request, env, ctx),
  };
}
