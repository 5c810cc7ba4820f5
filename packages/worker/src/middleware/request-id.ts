import { createMiddleware } from "hono/factory";
import { modeOf } from "../analytics/points";
import { analyticsSink } from "../analytics/sink";
import type { AppEnv } from "../env";
import { newId } from "../lib/ids";

/**
 * Gives every request an id, returned as `Request-Id`, carried by every problem
 * body and every log line, and records the request's figures as an analytics data point.
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const requestId = newId("req");
  c.set("requestId", requestId);
  const started = Date.now();
  await next();
  c.header("Request-Id", requestId);
  const ms = Date.now() - started;
  const route = c.req.routePath;
  const auth = c.get("auth");
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      request_id: requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      ms,
      merchant_id: auth?.merchantId,
    }),
  );
  analyticsSink(c.env, c.executionCtx).write({
    kind: "request",
    merchantId: auth?.merchantId,
    mode: auth && modeOf(auth.livemode),
    method: c.req.method,
    route,
    status: c.res.status,
    latencyMs: ms,
  });
});
