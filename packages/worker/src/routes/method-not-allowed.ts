import type { NotFoundHandler } from "hono";
import type { App, AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { onNotFound, problemResponse } from "../lib/problem";

/**
 * The not-found handler, which tells a known path asked with another method (405, with the
 * methods it takes in `Allow`) from an unknown path (404). Paths are the document's, so every
 * route `app.openapi` registered counts, and no other.
 */
export function notFoundOrNotAllowed(app: App): NotFoundHandler<AppEnv> {
  const routes = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === "route"
      ? [
          {
            method: d.route.method.toUpperCase(),
            path: new RegExp(`^${d.route.path.replace(/\{[^}/]+\}/g, "[^/]+")}$`),
          },
        ]
      : [],
  );
  return (c) => {
    const path = new URL(c.req.url).pathname;
    const methods = new Set(routes.filter((r) => r.path.test(path)).map((r) => r.method));
    if (!methods.size) return onNotFound(c);
    // Hono answers HEAD with the GET route.
    if (methods.has("GET")) methods.add("HEAD");
    const allow = [...methods].join(", ");
    const error = new ApiError("method_not_allowed", `${path} does not take ${c.req.method}; it takes ${allow}.`);
    return problemResponse(c, error, { Allow: allow });
  };
}
