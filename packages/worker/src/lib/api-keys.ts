import type { ApiKeyMode } from "@tranche/shared";
import type { apiKeys } from "../db/schema";
import { randomToken, sha256Hex } from "./crypto";
import { newId } from "./ids";

/**
 * A new secret key for a merchant: the key, to show this once, and the row to store, which
 * holds only its hash and the prefix that tells keys apart.
 */
export async function newApiKey(merchantId: string, mode: ApiKeyMode, createdAt: string) {
  const secretKey = `sk_${mode}_${randomToken(32)}`;
  const row = {
    id: newId("key"),
    merchantId,
    keyHash: await sha256Hex(secretKey),
    prefix: secretKey.slice(0, 12),
    mode,
    createdAt,
  } satisfies typeof apiKeys.$inferInsert;
  return { secretKey, row };
}
