import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { StoredResponse } from "../objects/idempotency";
import { openFields, sealFields, secretsIn } from "../secrets/fields";
import { isSealed } from "../secrets/keyring";
import { keyringOf } from "../secrets/require";

/** Keys of one merchant and mode are spread over this many IdempotencyObjects. */
const IDEMPOTENCY_SHARDS = 16;

/** Refusals before anything ran: the key is forgotten, so it can be retried with a fixed request. */
const NOTHING_RAN = new Set([
  "validation_error",
  "malformed_json",
  "unsupported_media_type",
  "method_not_allowed",
  "authentication_required",
  "invalid_api_key",
]);

/** The POSTs whose customer object keeps and replays their results itself. */
export const CUSTOMER_COMMANDS = /^\/v1\/(customers|purchases|test_helpers)(\/|$)/;

/** The one customer command whose object is not known before it: the key must give it its id. */
const CREATE_CUSTOMER = "/v1/customers";

const reused = () =>
  new ApiError(
    "idempotency_key_reused",
    "This Idempotency-Key was already used with a different request (method, path or body differ).",
  );

/**
 * Idempotency-Key on POST, with Stripe's semantics: the same key and body replay
 * the first response (marked `Idempotent-Replayed: true`); the same key with a
 * different request is a 422; a duplicate arriving while the first still runs is a 409.
 *
 * Most /v1 POSTs are commands of one customer's Durable Object (CUSTOMER_COMMANDS), which
 * records the result under the key in the command's own transaction, refuses the key with a
 * different request, and serialises duplicates (a concurrent duplicate waits, then gets the
 * replay). For those, this only checks the key and fingerprints the request: no other object
 * is asked first, so a key is one customer's (reused for another customer, it runs there as a
 * new command). Creating a customer claims the key in its IdempotencyObject, whose first-seen
 * time makes a retry derive the same customer id. Every other POST (the admin routes, webhook
 * endpoints) has its whole response kept by the key's object, with any secret it shows (a new API
 * key, a signing secret: src/secrets/fields.ts) sealed under SECRETS_KEY, and opened on a replay.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("Idempotency-Key");
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!/^[\x21-\x7E]{1,255}$/.test(key)) {
    throw new ApiError(
      "validation_error",
      "Idempotency-Key must be 1–255 printable ASCII characters without spaces (a UUID is a good choice).",
      [{ path: "header.Idempotency-Key", message: "must be 1–255 printable ASCII characters" }],
    );
  }

  const auth = c.get("auth");
  const scope = auth ? idempotencyScope(auth) : "admin";
  const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);

  if (auth && c.req.path === CREATE_CUSTOMER) {
    const stub = idempotencyShard(c.env, scope, key);
    const claimed = await stub.claim(key, fingerprint);
    if (claimed.kind === "mismatch") throw reused();
    c.set("idempotency", { key, fingerprint, firstSeen: claimed.firstSeen });
    await next();
    markReplay(c);
    if (claimed.fresh && NOTHING_RAN.has(await problemCode(c.res))) await stub.release(key);
    return;
  }
  if (auth && CUSTOMER_COMMANDS.test(c.req.path)) {
    c.set("idempotency", { key, fingerprint });
    await next();
    markReplay(c);
    return;
  }

  const stub = idempotencyShard(c.env, scope, key);
  const begun = await stub.begin(key, fingerprint);
  switch (begun.kind) {
    case "mismatch":
      throw reused();
    case "in_flight":
      throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress.");
    case "replay":
      return new Response(await replayed(c.env, stub, key, sealContext(scope, key), begun.response), {
        status: begun.response.status,
        headers: {
          "Content-Type": begun.response.status < 400 ? "application/json" : "application/problem+json",
          "Idempotent-Replayed": "true",
        },
      });
  }

  try {
    await next();
  } catch (error) {
    await stub.abandon(key);
    throw error;
  }
  const res = c.res;
  if (res.status >= 500) {
    await stub.abandon(key);
  } else if (NOTHING_RAN.has(await problemCode(res))) {
    await stub.release(key);
  } else {
    let body: string;
    try {
      body = await sealed(c.env, await res.clone().text(), sealContext(scope, key));
    } catch (error) {
      // No keyring to seal a secret with: the answer is not kept in the clear, and not answered.
      await stub.abandon(key);
      throw error;
    }
    await stub.complete(key, { status: res.status, body });
  }
});

/** What a stored answer's sealed fields are bound to: its scope and key, so it opens nowhere else. */
const sealContext = (scope: string, key: string) => `idempotency:${scope}:${key}`;

/** The answer as it is stored: any secret in it sealed. */
async function sealed(env: Env, body: string, context: string): Promise<string> {
  return secretsIn(body).some((v) => !isSealed(v)) ? sealFields(body, await keyringOf(env), context) : body;
}

/**
 * A stored answer as it is replayed, its secrets opened. One stored before secrets were sealed
 * (at most a day old, the keys' lifetime) is sealed in storage now.
 */
async function replayed(
  env: Env,
  stub: ReturnType<typeof idempotencyShard>,
  key: string,
  context: string,
  response: StoredResponse,
): Promise<string> {
  const secrets = secretsIn(response.body);
  if (secrets.some((v) => !isSealed(v))) {
    await stub.complete(key, { ...response, body: await sealed(env, response.body, context) });
    return response.body;
  }
  return secrets.length ? openFields(response.body, await keyringOf(env), context) : response.body;
}

/** The keys of one merchant and mode, spread over their own shards. */
export const idempotencyScope = (auth: { merchantId: string; livemode: boolean }) =>
  `${auth.merchantId}:${auth.livemode ? "live" : "test"}`;

/** The object holding `key` among its scope's (merchant and mode's) shards. */
export function idempotencyShard(env: Env, scope: string, key: string) {
  return env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName(`${scope}:${shardOf(key)}`));
}

/** A stable spread of keys over the shards (FNV-1a). */
function shardOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % IDEMPOTENCY_SHARDS;
}

/** A customer object that answered from its record says so; the header tells the caller. */
function markReplay(c: Context<AppEnv>): void {
  if (c.get("replayed")) c.header("Idempotent-Replayed", "true");
}

async function problemCode(res: Response): Promise<string> {
  if (res.status < 400) return "";
  return ((await res.clone().json()) as { code?: string }).code ?? "";
}
