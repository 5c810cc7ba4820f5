import type { ApiKey, ApiKeyMode, ApiKeyScope, ApiKeyWithSecret } from "@tranche/shared";
import type { apiKeys } from "../db/schema";
import { randomToken, sha256Hex } from "./crypto";
import { newId } from "./ids";

/** What a new key can do: everything (`secret`), or what its scopes allow (`restricted`). */
export type KeyKind =
  | { type: "secret"; name?: string | null }
  | { type: "restricted"; name?: string | null; scopes: ApiKeyScope[] };

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * A new key for a merchant: the key, to show this once, and the row to store, which holds only
 * its hash and the prefix that tells keys apart.
 */
export async function newApiKey(
  merchantId: string,
  mode: ApiKeyMode,
  createdAt: string,
  kind: KeyKind = { type: "secret" },
) {
  const secretKey = `${kind.type === "restricted" ? "rk" : "sk"}_${mode}_${randomToken(32)}`;
  const row = {
    id: newId("key"),
    merchantId,
    keyHash: await sha256Hex(secretKey),
    prefix: secretKey.slice(0, 12),
    mode,
    type: kind.type,
    name: kind.name ?? null,
    scopes: kind.type === "restricted" ? [...new Set(kind.scopes)] : null,
    createdAt,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
  } satisfies ApiKeyRow;
  return { secretKey, row };
}

/** The key as the API shows it: never its hash. */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    object: "api_key",
    merchant: row.merchantId,
    mode: row.mode,
    type: row.type,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    expires_at: row.expiresAt,
    revoked_at: row.revokedAt,
  };
}

/** A key just made, as the one answer that shows it. */
export const withSecret = (issued: Awaited<ReturnType<typeof newApiKey>>): ApiKeyWithSecret => ({
  ...toApiKey(issued.row),
  secret_key: issued.secretKey,
});
