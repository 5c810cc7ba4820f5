import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookEndpoints } from "../db/schema";
import type { DeliverableEvent } from "./deliverable";

/** Rewrites the stored deliveries of a merchant's redacted events, in every endpoint of the mode. */
export type RedactDeliveries = (merchantId: string, livemode: boolean, events: DeliverableEvent[]) => Promise<void>;

/**
 * Every endpoint of the merchant and mode, enabled or not (a disabled one keeps its log), is asked
 * to rewrite the deliveries it holds of the events; one that never had them changes nothing, so a
 * redaction carried twice is harmless. A deleted endpoint's object holds nothing (its delete erases it).
 */
export function endpointRedaction(env: Env): RedactDeliveries {
  return async (merchantId, livemode, events) => {
    const endpoints = await drizzle(env.DB)
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.livemode, livemode)));
    await Promise.all(
      endpoints.map(({ id }) => env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(id)).redact(events)),
    );
  };
}
