import type { ApiKeyScope } from "@tranche/shared";
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import { apiKeys } from "../db/schema";
import type { AppEnv, AuthContext } from "../env";
import { lastUsedIsStale, recordLastUsed } from "../keys/last-used";
import { permits } from "../keys/scopes";
import { secretsEqual, sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { IsolateCache } from "../lib/isolate-cache";
import { liveModeAvailable } from "../processor/config";
import { countUnknownKey, refusedAddress } from "./rate-limit";

/**
 * Keys are looked up by hash in the directory at most once a second per isolate, not on every
 * request: a revoked key stops working within a second, and the directory reads stay one per
 * second per key and isolate however many requests the key sends.
 */
export const KEY_CACHE_TTL_MS = 1_000;

/** A key as the directory last said, and when this isolate asks again. */
interface CachedKey {
  auth: AuthContext;
  keyId: string;
  /** A restricted key's scopes; null for a secret key. */
  scopes: ApiKeyScope[] | null;
  /** A rolled key's end (ms): checked on every request, so the grace period ends on time, not a second late. */
  expiresAt: number | null;
  lastUsedAt: number | null;
}

const KEY_SHAPE = /^(sk|rk)_(test|live)_[0-9A-Za-z]{32}$/;

function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** What is wrong with a key of the wrong shape, without echoing any of it. */
function malformedKey(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0];
  if (!prefix) {
    return "That is not a Tranche API key: secret keys start with sk_test_ or sk_live_, restricted keys with rk_test_ or rk_live_.";
  }
  return (
    `That ${prefix} key is malformed: a key is ${prefix} followed by 32 letters and digits ` +
    "(40 characters in all). Copy the whole key as it was shown when it was created."
  );
}

const unknownKey = () => new ApiError("invalid_api_key", "This API key is unknown, expired or revoked.");

/** This isolate's keys: module state, so every app made in the isolate shares it. */
const isolateCache = new IsolateCache<CachedKey>(KEY_CACHE_TTL_MS);

/**
 * The merchant-key middleware. `clock` is for tests: it moves to see a rolled key's grace period end
 * or the cache expire, and an app on its own clock stands for another isolate, with its own cache.
 */
export function apiKeyAuth(clock?: () => number) {
  const now = clock ?? Date.now;
  const cache = clock ? new IsolateCache<CachedKey>(KEY_CACHE_TTL_MS) : isolateCache;
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = bearer(c.req.header("Authorization"));
    if (!key) {
      throw new ApiError("authentication_required", "Send your secret key as `Authorization: Bearer sk_test_…`.");
    }
    if (!KEY_SHAPE.test(key)) throw new ApiError("invalid_api_key", malformedKey(key));
    const hash = await sha256Hex(key);
    const at = now();
    let hit = cache.get(hash, at);
    if (!hit) {
      const refused = refusedAddress(c);
      if (refused) return refused;
      hit = await lookUp(c.env.DB, hash);
      if (!hit) {
        cache.delete(hash);
        const limited = await countUnknownKey(c);
        if (limited) return limited;
        throw unknownKey();
      }
      cache.set(hash, hit, at);
    }
    if (hit.expiresAt !== null && hit.expiresAt <= at) throw unknownKey();
    if (hit.auth.livemode && !liveModeAvailable(c.env)) {
      throw new ApiError(
        "livemode_unavailable",
        "Live mode is not available on this deployment: it has no payment processor for real cards. Use your sk_test_ key.",
      );
    }
    if (hit.scopes && !permits(hit.scopes, c.req.method, c.req.path)) {
      throw new ApiError(
        "permission_denied",
        `This restricted key (scopes: ${hit.scopes.join(", ")}) cannot ${c.req.method} ${c.req.path}. Use a secret key, or a restricted key with the scope.`,
      );
    }
    c.set("auth", hit.auth);
    c.set("apiKeyId", hit.keyId);
    await next();
    // Only a request that succeeded counts as a use: a refused one leaves nothing written.
    if (c.res.status < 400 && lastUsedIsStale(hit.lastUsedAt, at)) {
      hit.lastUsedAt = at;
      recordLastUsed(c, hit.keyId, at);
    }
  });
}

async function lookUp(db: D1Database, hash: string): Promise<CachedKey | undefined> {
  const row = await drizzle(db)
    .select({
      id: apiKeys.id,
      merchantId: apiKeys.merchantId,
      mode: apiKeys.mode,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) return undefined;
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  return {
    auth: { merchantId: row.merchantId, livemode: row.mode === "live" },
    keyId: row.id,
    scopes: row.scopes,
    expiresAt: ms(row.expiresAt),
    lastUsedAt: ms(row.lastUsedAt),
  };
}

/** The admin surface exists only where the ADMIN_TOKEN secret is set; elsewhere it is a 404. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`);
  const token = bearer(c.req.header("Authorization"));
  if (!token) throw new ApiError("authentication_required", "Send the admin token as `Authorization: Bearer …`.");
  if (!(await secretsEqual(token, expected))) throw new ApiError("invalid_api_key", "The admin token is wrong.");
  await next();
});
