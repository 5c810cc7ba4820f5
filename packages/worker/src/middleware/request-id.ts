import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { newId } from "../lib/ids";

/**
 * Gives every request an id, returned as `Request-Id`, carried by every problem
 * body and every log line, and sent to Analytics Engine with the request's figures.
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
  c.env.ANALYTICS?.writeDataPoint({
    indexes: [auth?.merchantId ?? "anonymous"],
    blobs: ["request", c.req.method, route, String(c.res.status)],
    doubles: [ms, c.res.status],
  });
});
