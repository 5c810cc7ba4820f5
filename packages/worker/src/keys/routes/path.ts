import { z } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";

export const KeyPathSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "key_01JDQ8Z6W2N8X4C2V7B5K9M3PG" }),
});

export const TAG = "API keys";

/** A key that can no longer be rolled, or would leave the merchant locked out if revoked. */
export const keyState = (detail: string) => new ApiError("invalid_state", detail);
