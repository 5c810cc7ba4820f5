import { bodyLimit } from "hono/body-limit";
import { ApiError, BODY_LIMIT_BYTES } from "../lib/errors";

/**
 * Refuses a body over the limit before anything reads it (the idempotency middleware hashes the
 * body, the validators parse it): by its Content-Length, or while reading a body sent without one.
 */
export const limitBody = bodyLimit({
  maxSize: BODY_LIMIT_BYTES,
  onError: () => {
    throw new ApiError(
      "payload_too_large",
      `The request body is over ${BODY_LIMIT_BYTES} bytes (${BODY_LIMIT_BYTES / 1024} KB), the most Tranche reads.`,
    );
  },
});
