import { createMiddleware } from "hono/factory";
import { modeOf } from "../analytics/points";
import { analyticsSink } from "../analytics/sink";
import type { AppEnv } from "../env";
import { newId } from "../lib/ids";
import { logger, redact } from "../lib/log";
import { reportError } from "../lib/sentry";
import { formatTraceparent, startSpan } from "../lib/trace";
import { publishRequest } from "../logs/publish";

/**
 * Gives every request an id, returned as `Request-Id`, and a span of its trace (the caller's
 * `traceparent` continued, or a new trace), returned as `traceparent`; both are carried by every
 * log line, and the request's figures become one log line and one analytics data point. A 5xx
 * goes to Sentry (where configured) with what identifies the request. A merchant's request also goes
 * to its log tails, only while one is attached (src/logs/publish.ts).
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const requestId = newId("req");
  const trace = startSpan(c.req.header("traceparent"));
  const log = logger.with({ request_id: requestId, trace_id: trace.traceId });
  c.set("requestId", requestId);
  c.set("trace", trace);
  c.set("log", log);
  const started = Date.now();
  await next();
  c.header("Request-Id", requestId);
  c.header("traceparent", formatTraceparent(trace));
  const ms = Date.now() - started;
  const route = c.req.routePath;
  const auth = c.get("auth");
  const status = c.res.status;
  const fields = { method: c.req.method, route, status, ms, merchant_id: auth?.merchantId };
  if (status >= 500) {
    log.error("request", fields);
    // Hono's error handler keeps a thrown error from any wrapper: report it (or the 5xx answer) here.
    reportError(c.env, c.error ?? new Error(`${c.req.method} ${route} answered ${status}`), {
      request_id: requestId,
      trace_id: trace.traceId,
      merchant_id: auth?.merchantId,
      route,
    });
  } else log.info("request", fields);
  analyticsSink(c.env, c.executionCtx).write({
    kind: "request",
    merchantId: auth?.merchantId,
    mode: auth && modeOf(auth.livemode),
    method: c.req.method,
    route,
    status,
    latencyMs: ms,
    traceId: trace.traceId,
  });
  if (auth) {
    // Made only for a tailed merchant. The path as the log guard leaves it: a key pasted into one never reaches a tail.
    const line = () => ({
      at: new Date(started + ms).toISOString(),
      method: c.req.method,
      path: redact(c.req.path) as string,
      status,
      ms,
      request_id: requestId,
    });
    publishRequest(c.env, c.executionCtx, auth, line);
  }
});
