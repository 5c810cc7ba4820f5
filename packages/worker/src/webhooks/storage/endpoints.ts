import { and, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { AuthContext } from "../../env";
import { notFound } from "../../lib/errors";
import type { WebhookEndpointRow } from "../rules/endpoints";

/** The endpoint `id` of the caller's merchant and mode: another merchant's, or the other mode's, is not there. */
export const ownedBy = (auth: AuthContext, id: string) =>
  and(
    eq(webhookEndpoints.id, id),
    eq(webhookEndpoints.merchantId, auth.merchantId),
    eq(webhookEndpoints.livemode, auth.livemode),
  );

export async function findEndpoint(db: DrizzleD1Database, auth: AuthContext, id: string): Promise<WebhookEndpointRow> {
  const row = await db.select().from(webhookEndpoints).where(ownedBy(auth, id)).get();
  if (!row) throw notFound("webhook endpoint", id);
  return row;
}
