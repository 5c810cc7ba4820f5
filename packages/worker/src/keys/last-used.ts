import { and, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { apiKeys } from "../db/schema";
import type { AppEnv } from "../env";
import { logger } from "../lib/log";

/**
 * `last_used_at` is kept to within this much: a key's row is written at most once per this period
 * (per isolate; the statement's condition makes the other isolates' writes in the same period change
 * nothing), never on every request.
 */
export const LAST_USED_GRANULARITY_MS = 60_000;

/** Whether a key last recorded as used at `lastUsedAt` (ms, or null if never) should be recorded again. */
export const lastUsedIsStale = (lastUsedAt: number | null, now: number) =>
  lastUsedAt === null || now - lastUsedAt >= LAST_USED_GRANULARITY_MS;

/**
 * Records that the key was used at `now`, after the response: the request never waits for it, and a
 * failure to record it only costs the record.
 */
export function recordLastUsed(c: Context<AppEnv>, keyId: string, now: number) {
  const at = new Date(now).toISOString();
  const staleBefore = new Date(now - LAST_USED_GRANULARITY_MS + 1).toISOString();
  const write = drizzle(c.env.DB)
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))))
    .run()
    .then(
      () => undefined,
      (error) => logger.warn("could not record a key's last use", { error: String(error) }),
    );
  c.executionCtx.waitUntil(write);
}
