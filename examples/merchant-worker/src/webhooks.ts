// The shop's webhook receiver, POST /webhooks/tranche (docs/webhooks.md shows this region).
import type { Tranche } from "@tranche/sdk";

export interface WebhookEnv {
  /** The endpoint's `whsec_…` secret: `wrangler secret put TRANCHE_WEBHOOK_SECRET`. */
  TRANCHE_WEBHOOK_SECRET: string;
  /** The webhook-ids already handled: a KV namespace (any store with get and put will do). */
  SEEN: {
    get(key: string): Promise<string | null>;
    put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  };
}

// #region receiver
export async function receiveWebhook(request: Request, env: WebhookEnv, tranche: Tranche): Promise<Response> {
  let event: Awaited<ReturnType<typeof tranche.webhooks.verify>>;
  try {
    // The raw text: a body parsed and serialised again would not match its signature.
    event = await tranche.webhooks.verify(await request.text(), request.headers, env.TRANCHE_WEBHOOK_SECRET);
  } catch {
    return new Response("bad signature", { status: 400 });
  }
  // At least once: a repeat carries the same webhook-id. Skip what was handled.
  const id = request.headers.get("webhook-id") as string;
  if (await env.SEEN.get(id)) return new Response(null, { status: 204 });
  await handle(event.type, event.data);
  await env.SEEN.put(id, "1", { expirationTtl: 7 * 86_400 });
  return new Response(null, { status: 204 });
}
// #endregion receiver

/** The shop's own reaction: here, a log line. Read the object's current state when order matters. */
async function handle(type: string, data: unknown): Promise<void> {
  console.log(`tranche webhook: ${type}`, JSON.stringify(data).slice(0, 200));
}
