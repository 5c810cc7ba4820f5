import type { ApiKey, ApiKeyMode, List } from "@tranche/shared";
import { and, desc, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../db/schema";
import { type ApiKeyRow, toApiKey } from "../lib/api-keys";
import { toPage } from "../lib/pagination";

/** Whose keys: a merchant's in one mode (the merchant's own routes), or in both (the operator's). */
export interface KeyOwner {
  merchantId: string;
  mode?: ApiKeyMode;
}

const owned = (owner: KeyOwner) =>
  and(eq(apiKeys.merchantId, owner.merchantId), owner.mode ? eq(apiKeys.mode, owner.mode) : undefined);

/** A page of the owner's keys, newest first, revoked and expired ones included. */
export async function keyPage(
  db: D1Database,
  owner: KeyOwner,
  q: { limit: number; starting_after?: string },
): Promise<List<ApiKey>> {
  const rows = await drizzle(db)
    .select()
    .from(apiKeys)
    .where(and(owned(owner), q.starting_after ? lt(apiKeys.id, q.starting_after) : undefined))
    .orderBy(desc(apiKeys.id))
    .limit(q.limit + 1);
  return toPage(rows.map(toApiKey), q.limit);
}

/** The owner's key `id`, or undefined: another merchant's (or mode's) key is no different from none. */
export const ownedKey = (db: D1Database, owner: KeyOwner, id: string): Promise<ApiKeyRow | undefined> =>
  drizzle(db)
    .select()
    .from(apiKeys)
    .where(and(owned(owner), eq(apiKeys.id, id)))
    .get();

export const keyById = (db: D1Database, id: string): Promise<ApiKeyRow | undefined> =>
  drizzle(db).select().from(apiKeys).where(eq(apiKeys.id, id)).get();

/**
 * Revokes `key` in one statement and answers it as it then is (unchanged if it was revoked already).
 * With `keepOneSecret`, only if the merchant keeps in that mode another secret key that is neither
 * revoked nor being rolled out: checked in the same statement, so two revocations at once cannot
 * both pass it, and the key comes back unrevoked if it did not.
 */
export async function revoke(db: D1Database, key: ApiKeyRow, keepOneSecret: boolean): Promise<ApiKeyRow> {
  if (key.revokedAt) return key;
  const guard = keepOneSecret
    ? `AND (type = 'restricted' OR EXISTS (SELECT 1 FROM api_keys o WHERE o.merchant_id = ?2 AND o.mode = ?3
         AND o.type = 'secret' AND o.id <> ?1 AND o.revoked_at IS NULL AND o.expires_at IS NULL))`
    : "";
  await db
    .prepare(`UPDATE api_keys SET revoked_at = ?4 WHERE id = ?1 AND revoked_at IS NULL ${guard}`)
    .bind(key.id, key.merchantId, key.mode, new Date().toISOString())
    .run();
  return (await keyById(db, key.id)) ?? key;
}

/**
 * Rolls `old` into `successor` in one transaction: the successor is stored, and the old key given its
 * end, only if the old key is neither revoked nor already rolled. Whether it was rolled.
 */
export async function roll(db: D1Database, old: ApiKeyRow, successor: ApiKeyRow, expiresAt: string): Promise<boolean> {
  const rollable = "SELECT 1 FROM api_keys WHERE id = ? AND expires_at IS NULL AND revoked_at IS NULL";
  const s = successor;
  const [, update] = await db.batch([
    db
      .prepare(
        `INSERT INTO api_keys (id, merchant_id, key_hash, prefix, mode, type, name, scopes, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${rollable})`,
      )
      .bind(
        s.id,
        s.merchantId,
        s.keyHash,
        s.prefix,
        s.mode,
        s.type,
        s.name,
        s.scopes && JSON.stringify(s.scopes),
        s.createdAt,
        old.id,
      ),
    db
      .prepare("UPDATE api_keys SET expires_at = ? WHERE id = ? AND expires_at IS NULL AND revoked_at IS NULL")
      .bind(expiresAt, old.id),
  ]);
  return update?.meta.changes === 1;
}
