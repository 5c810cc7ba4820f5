import { z } from "@hono/zod-openapi";
import type { AuthContext } from "../../env";
import { ApiError } from "../../lib/errors";
import { checkWebhookUrl, urlPolicyFor } from "../rules/url-policy";

export const WebhookEndpointPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "we_01JDQ8Z6W2N8X4C2V7B5K9M3PH" }),
});

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
