import {
  verifyWebhook,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookPayload,
} from "@tranche/shared/webhooks/signature";

/** Checks the deliveries Tranche sends your webhook endpoints. Local: no API call is made. */
export class Webhooks {
  /**
   * Verifies a delivery's Standard Webhooks signature and returns its payload, `{ type, timestamp, data }`.
   * Throws a `WebhookVerificationError` when a `webhook-*` header is missing or malformed, the
   * `webhook-timestamp` is more than `toleranceSeconds` (default 300) from now either way, or no
   * signature matches `secret`; answer those with a 400 and do nothing else. While a secret rotates,
   * pass `[newSecret, oldSecret]`; any of the signatures may match any of the secrets. Signatures are
   * compared in constant time.
   *
   * Pass the body exactly as it arrived, as text or bytes, never a parsed object: the signature
   * covers its bytes, and JSON parsed and serialised again does not match.
   *
   * In a Worker:
   * ```ts
   * const event = await tranche.webhooks.verify(await request.text(), request.headers, env.TRANCHE_WEBHOOK_SECRET);
   * ```
   * In Node with express, read the raw body for that route (`express.json()` would parse it first):
   * ```ts
   * app.post("/webhooks/tranche", express.raw({ type: "application/json" }), async (req, res) => {
   *   const event = await tranche.webhooks.verify(req.body, req.headers, process.env.TRANCHE_WEBHOOK_SECRET);
   *   res.sendStatus(204);
   * });
   * ```
   */
  verify<T = unknown>(
    rawBody: WebhookBody,
    headers: WebhookHeaders,
    secret: string | readonly string[],
    options: { toleranceSeconds?: number } = {},
  ): Promise<WebhookPayload<T>> {
    return verifyWebhook(rawBody, headers, secret, options);
  }
}
