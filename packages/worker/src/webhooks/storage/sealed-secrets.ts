import { generateWebhookSecret } from "@tranche/shared";
import { and, eq, isNotNull, isNull, notLike, or } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { Keyring } from "../../secrets/keyring";
import { isSealed, SEALED_PREFIX, sealedKeyId } from "../../secrets/keyring";
import type { WebhookEndpointRow } from "../rules/endpoints";

/**
 * Webhook signing secrets are HMAC keys, so they are kept (a hash could not sign), but only sealed:
 * `secret` and `previous_secret` in D1 hold `enc:v1:…` (src/secrets/keyring.ts), bound to the
 * endpoint's id, and are opened only to sign a delivery.
 */
const context = (endpointId: string) => `webhook_endpoint:${endpointId}`;

/** A new signing secret: in the clear to show once, sealed to store. */
export async function newSealedSecret(keyring: Keyring, endpointId: string) {
  const secret = generateWebhookSecret();
  return { secret, sealed: await keyring.seal(secret, context(endpointId)) };
}

/**
 * The row with its secrets opened, to sign with. A secret stored before secrets were sealed (in the
 * clear) or sealed under a key that no longer seals comes back sealed under the current key in
 * `resealed`, for the caller to write back: the one-off re-encryption on read (docs/operations.md).
 */
export async function openSecrets(
  keyring: Keyring,
  row: WebhookEndpointRow,
): Promise<{ opened: WebhookEndpointRow; resealed?: Pick<WebhookEndpointRow, "secret" | "previousSecret"> }> {
  const open = (value: string) => (isSealed(value) ? keyring.open(value, context(row.id)) : value);
  const secret = await open(row.secret);
  const previousSecret = row.previousSecret === null ? null : await open(row.previousSecret);
  const opened = { ...row, secret, previousSecret };
  const stored = [row.secret, row.previousSecret].filter((v): v is string => v !== null);
  if (stored.every((v) => sealedKeyId(v) === keyring.currentId)) return { opened };
  const seal = (value: string) => keyring.seal(value, context(row.id));
  return {
    opened,
    resealed: {
      secret: await seal(secret),
      previousSecret: previousSecret === null ? null : await seal(previousSecret),
    },
  };
}

type Secrets = Pick<WebhookEndpointRow, "secret" | "previousSecret">;

/** Writes an endpoint's resealed secrets back, only if they are still those `row` read: a rotation meanwhile wins. */
export async function writeResealed(db: DrizzleD1Database, row: WebhookEndpointRow, resealed: Secrets): Promise<void> {
  const previous = row.previousSecret;
  await db
    .update(webhookEndpoints)
    .set(resealed)
    .where(
      and(
        eq(webhookEndpoints.id, row.id),
        eq(webhookEndpoints.secret, row.secret),
        previous === null ? isNull(webhookEndpoints.previousSecret) : eq(webhookEndpoints.previousSecret, previous),
      ),
    );
}

/**
 * Reseals under the current key up to `limit` endpoints whose secrets it did not seal (in the clear, or
 * under an older key): the re-encryption after a rotation of SECRETS_KEY. How many it resealed, and
 * how many are left for the next call.
 */
export async function resealEndpoints(
  db: DrizzleD1Database,
  keyring: Keyring,
  limit: number,
): Promise<{ resealed: number; remaining: number }> {
  const current = `${SEALED_PREFIX}${keyring.currentId}:%`;
  const stale = or(
    notLike(webhookEndpoints.secret, current),
    and(isNotNull(webhookEndpoints.previousSecret), notLike(webhookEndpoints.previousSecret, current)),
  );
  const rows = await db.select().from(webhookEndpoints).where(stale).limit(limit);
  for (const row of rows) {
    const { resealed } = await openSecrets(keyring, row);
    if (resealed) await writeResealed(db, row, resealed);
  }
  const left = await db.$count(webhookEndpoints, stale);
  return { resealed: rows.length, remaining: left };
}
