import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, AuthContext } from "../env";
import { ApiError, notFound } from "../lib/errors";
import type { CommandResult, IdempotencyRef, Json } from "../objects/customer/commands";

/**
 * The customer's Durable Object. The merchant is part of its name, so another
 * merchant's customer id leads to an empty object and answers 404 by construction.
 */
export function customerStub(env: Env, auth: AuthContext, customerId: string) {
  return env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${auth.merchantId}:${customerId}`));
}

/** What every customer command takes from its request: who asks, its Idempotency-Key, its trace. */
export function commandOf(c: Context<AppEnv>) {
  return { caller: c.get("auth"), idempotency: idempotencyRef(c), traceId: c.get("trace").traceId };
}

/** The key and fingerprint a customer command records its result under, if the request has a key. */
export function idempotencyRef(c: Context<AppEnv>): IdempotencyRef | undefined {
  const idem = c.get("idempotency");
  return idem && { key: idem.key, fingerprint: idem.fingerprint };
}

/** The command's value, or its refusal thrown as a problem; notes a replay for the response header. */
export function unwrap<T>(c: Context<AppEnv>, result: CommandResult<T>): T {
  if (result.replayed) c.set("replayed", true);
  if (result.ok) return result.value;
  throw new ApiError(result.code, result.detail, result.errors);
}

/**
 * Sends JSON the customer object has already serialised (it does so once, for storage and
 * for the answer alike), typed as the object it encodes.
 */
export function sendJson<T, S extends ContentfulStatusCode>(json: Json<T>, status: S) {
  const res = new Response(json, { status, headers: { "Content-Type": "application/json" } });
  return res as unknown as TypedResponse<T, S, "json">;
}

/**
 * Which customer owns a purchase, from the registry. Used to route by-id commands and
 * reads to that customer's object; an unknown id, or another merchant's, is a 404.
 */
export async function purchaseOwner(c: Context<AppEnv>, purchaseId: string): Promise<string> {
  const auth = c.get("auth");
  const row = await c.env.DB.prepare(
    "SELECT customer_id FROM purchases WHERE id = ? AND merchant_id = ? AND livemode = ?",
  )
    .bind(purchaseId, auth.merchantId, auth.livemode ? 1 : 0)
    .first<{ customer_id: string }>();
  if (!row) throw notFound("purchase", purchaseId);
  return row.customer_id;
}
