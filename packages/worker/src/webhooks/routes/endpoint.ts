import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { webhookEndpoints } from "../../db/schema";
import type { AuthContext } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
import type { WebhookEndpointRow } from "../rules/endpoints";
import { checkWebhookUrl, urlPolicyFor } from "../rules/url-policy";

export const WebhookEndpointPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "we_01JDQ8Z6W2N8X4C2V7B5K9M3PH" }),
});

/** How long the previous secret keeps signing after a rotation, so receivers can switch without losing deliveries. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

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

/** The URL as it will be stored and fetched, or a 400 on `url` when the outbound policy refuses it. */
export function allowedUrl(env: Env, auth: AuthContext, url: string): string {
  const verdict = checkWebhookUrl(url, urlPolicyFor(env, auth.livemode));
  if (!verdict.ok) {
    throw new ApiError("validation_error", `Invalid body: url: ${verdict.reason}`, [
      { path: "url", message: verdict.reason },
    ]);
  }
  return verdict.url.href;
}
