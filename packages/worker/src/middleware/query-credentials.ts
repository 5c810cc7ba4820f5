import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { credentialParams } from "../lib/query-credentials";

/**
 * Refuses a request that sent a credential in its query string (dropped at the entry already:
 * src/lib/query-credentials.ts), naming the parameter and never its value, so the mistake is
 * found rather than silently ignored: the key has been in a URL, so it should be rolled.
 */
export const refuseQueryCredentials = createMiddleware<AppEnv>(async (c, next) => {
  const names = credentialParams(new URL(c.req.url));
  if (names.length === 0) return next();
  throw new ApiError(
    "validation_error",
    `Credentials are never read from the query string (${names.join(", ")}): send your key as ` +
      "`Authorization: Bearer …`. A key that was in a URL may have been logged on the way: roll it.",
    names.map((path) => ({ path, message: "a credential in the query string: send it in the Authorization header" })),
  );
});
