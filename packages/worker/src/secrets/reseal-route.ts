import { drizzle } from "drizzle-orm/d1";
import type { App } from "../env";
import { resealEndpoints } from "../webhooks/storage/sealed-secrets";
import { keyringOf } from "./require";

/** Endpoints resealed per call: a bounded request however many endpoints there are. */
const PAGE = 200;

/**
 * `POST /v1/admin/secrets/reseal` (ADMIN_TOKEN): reseals under SECRETS_KEY's first key a page of the
 * webhook signing secrets it did not seal, and answers how many are left; called until `remaining`
 * is 0 after a rotation (docs/operations.md). An operator's maintenance route, outside the public
 * API's document like the shard move.
 */
export function registerResealSecrets(app: App) {
  app.post("/v1/admin/secrets/reseal", async (c) => {
    const keyring = await keyringOf(c.env);
    const done = await resealEndpoints(drizzle(c.env.DB), keyring, PAGE);
    return c.json({ object: "secrets_reseal", key_id: keyring.currentId, ...done }, 200);
  });
}
