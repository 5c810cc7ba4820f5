import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import { apiKeys } from "../db/schema";
import type { AppEnv, AuthContext } from "../env";
import { secretsEqual, sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { liveModeAvailable } from "../processor/config";
import { countUnknownKey, refusedAddress } from "./rate-limit";

/**
 * Keys are looked up by hash in the directory at most once a second per isolate, not on every
 * request: a revoked key stops working within a second, and the directory reads stay one per
 * second per key and isolate however many requests the key sends.
 */
export const KEY_CACHE_TTL_MS = 1_000;
const cache = new Map<string, { auth: AuthContext; keyId: string; expires: number }>();

function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** What is wrong with a key of the wrong shape, without echoing any of it. */
function malformedKey(key: string): string {
  const prefix = /^sk_(test|live)_/.exec(key)?.[0];
  if (!prefix) return "That is not a Tranche secret key: secret keys start with sk_test_ or sk_live_.";
  return (
    `That ${prefix} key is malformed: a secret key is ${prefix} followed by 32 letters and digits ` +
    "(40 characters in all). Copy the whole key as it was shown when it was created."
  );
}

export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearer(c.req.header("Authorization"));
  if (!key) {
    throw new ApiError("authentication_required", "Send your secret key as `Authorization: Bearer sk_test_…`.");
  }
  if (!/^sk_(test|live)_[0-9A-Za-z]{32}$/.test(key)) throw new ApiError("invalid_api_key", malformedKey(key));
  const hash = await sha256Hex(key);
  const now = Date.now();
  let hit = cache.get(hash);
  if (!hit || hit.expires < now) {
    const refused = refusedAddress(c);
    if (refused) return refused;
    const row = await drizzle(c.env.DB)
      .select({ id: apiKeys.id, merchantId: apiKeys.merchantId, mode: apiKeys.mode })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .get();
    if (!row) {
      cache.delete(hash);
      const limited = await countUnknownKey(c);
      if (limited) return limited;
      throw new ApiError("invalid_api_key", "This API key is unknown or has been revoked.");
    }
    hit = {
      auth: { merchantId: row.merchantId, livemode: row.mode === "live" },
      keyId: row.id,
      expires: now + KEY_CACHE_TTL_MS,
    };
    cache.set(hash, hit);
  }
  if (hit.auth.livemode && !liveModeAvailable(c.env)) {
    throw new ApiError(
      "livemode_unavailable",
      "Live mode is not available on this deployment: it has no payment processor for real cards. Use your sk_test_ key.",
    );
  }
  c.set("auth", hit.auth);
  c.set("apiKeyId", hit.keyId);
  await next();
});

/** The admin surface exists only where the ADMIN_TOKEN secret is set; elsewhere it is a 404. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`);
  const token = bearer(c.req.header("Authorization"));
  if (!token) throw new ApiError("authentication_required", "Send the admin token as `Authorization: Bearer …`.");
  if (!(await secretsEqual(token, expected))) throw new ApiError("invalid_api_key", "The admin token is wrong.");
  await next();
});
