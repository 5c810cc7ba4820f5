import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { issuesSecrets } from "./fields";
import { type Keyring, keyringFrom } from "./keyring";

/**
 * The keyring, or a 503 `secrets_unavailable` saying what the operator must fix. A deployment
 * without a usable SECRETS_KEY fails closed on what needs it (issuing or signing with a secret)
 * and keeps serving everything else.
 */
export async function keyringOf(env: Pick<Env, "SECRETS_KEY">): Promise<Keyring> {
  const result = await keyringFrom(env.SECRETS_KEY);
  if (result.ok) return result.keyring;
  throw new ApiError(
    "secrets_unavailable",
    `This deployment cannot store secrets (${result.reason}), so it issues none. The operator sets SECRETS_KEY.`,
  );
}

/** Refuses the routes that issue secrets (SECRET_ROUTES) before they run where there is no keyring. */
export const requireSecretsKey = createMiddleware<AppEnv>(async (c, next) => {
  if (issuesSecrets(c.req.method, c.req.path)) await keyringOf(c.env);
  await next();
});
