import type { DurableObject } from "cloudflare:workers";
import * as Sentry from "@sentry/cloudflare";
import { redact } from "./log";

// Sentry wraps every entry point (fetch, scheduled, queue, and each Durable Object's RPC methods,
// alarm and fetch) only where SENTRY_DSN is set. Elsewhere the bare code runs: without a DSN the
// wrappers send nothing, yet wrapping every request and RPC call cost about a fifth of purchase
// throughput in `pnpm bench`. So each call checks the DSN first and no Sentry code runs without one.

/** Sentry's options for an environment; the tests pass their own (a transport that records envelopes). */
export type SentryOptions = (env: Env) => Sentry.CloudflareOptions;

// `release` is left to Sentry, which takes the deployed version from a SENTRY_RELEASE variable or,
// failing that, from the [version_metadata] binding CF_VERSION_METADATA (wrangler.toml): the version id.
export const sentryOptions: SentryOptions = (env) => ({
  dsn: env.SENTRY_DSN,
  environment: env.ENVIRONMENT,
  tracesSampleRate: 0.01,
  // What reaches Sentry passes the logs' redaction guard: a request's Authorization header, a key in a
  // message, a credential in a URL's query string (the request's, a breadcrumb's, a span's).
  beforeSend: (event) => redact(event) as typeof event,
  beforeSendTransaction: (event) => redact(event) as typeof event,
  beforeBreadcrumb: (breadcrumb) => redact(breadcrumb) as typeof breadcrumb,
});

const enabled = (env: Env) => Boolean(env.SENTRY_DSN);

type DurableObjectClass = new (ctx: DurableObjectState, env: Env) => DurableObject<Env>;

export function instrumentObject<C extends DurableObjectClass>(Base: C, options: SentryOptions = sentryOptions): C {
  const Instrumented = Sentry.instrumentDurableObjectWithSentry(options, Base);
  return new Proxy(Base, {
    construct(_target, args: [DurableObjectState, Env], newTarget) {
      return Reflect.construct(enabled(args[1]) ? Instrumented : Base, args, newTarget);
    },
  });
}

export type Handlers = Required<Pick<ExportedHandler<Env>, "fetch" | "scheduled" | "queue">>;

/** The Worker's entry points, each wrapped by Sentry when the environment has a DSN. */
export function instrumentHandlers(bare: Handlers, options: SentryOptions = sentryOptions): Handlers {
  // withSentry replaces the handlers of the object it is given: give it a copy, keep the bare ones.
  const wrapped = Sentry.withSentry(options, { ...bare }) as Handlers;
  return {
    fetch: (request, env, ctx) => (enabled(env) ? wrapped : bare).fetch(request, env, ctx),
    scheduled: (controller, env, ctx) => (enabled(env) ? wrapped : bare).scheduled(controller, env, ctx),
    queue: (batch, env, ctx) => (enabled(env) ? wrapped : bare).queue(batch, env, ctx),
  };
}

export type ErrorTags = Record<string, string | undefined>;

/** Reports an error the code handled (a 5xx answer) with what identifies its request. */
export function reportError(env: Env, error: unknown, tags: ErrorTags): void {
  if (!enabled(env)) return;
  Sentry.captureException(error, { tags: defined(tags) });
}

/**
 * Tags the running invocation (an alarm, an RPC call), so whatever it throws reaches Sentry with
 * them. Each wrapped invocation has a scope of its own, so the tags do not leak into the next.
 */
export function tagInvocation(env: Env, tags: ErrorTags): void {
  if (!enabled(env)) return;
  Sentry.getIsolationScope().setTags(defined(tags));
}

const defined = (tags: ErrorTags) =>
  Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => e[1] !== undefined));
