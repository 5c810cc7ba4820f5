import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, AuthContext } from "../env";
import { ApiError, notFound } from "../lib/errors";
import { isCustomerId, ownerOf } from "../lib/ids";
import type { Caller, CommandResult, IdempotencyRef, Json } from "../objects/customer/commands";
import { shards } from "../shards";

/**
 * The one way a route reaches a customer's Durable Object: `customerObject` for reads,
 * `customerCommand` for commands. The object is named by merchant and customer, so another
 * merchant's customer id leads to an empty object and answers 404 by construction.
 */

/**
 * Whose object: a customer by id; the customer who owns a purchase or a refund, named in its id
 * (`ownedId`); or, for operators (the admin surface), the owner of a purchase of any merchant,
 * acting as that merchant, whom only the registry knows (the merchant is not in the id).
 */
export type Owner = { customer: string } | { purchase: string } | { refund: string } | { anyMerchantsPurchase: string };

/** What every customer command takes from its request: who asks, its Idempotency-Key, its trace. */
export interface CommandContext {
  caller: Caller;
  idempotency?: IdempotencyRef;
  traceId: string;
}

/** What a command answers when it succeeds (distributed over the result's union: a refusal has none). */
type ValueOf<R> = R extends { ok: true; value: infer V } ? V : never;

type CustomerStub = ReturnType<Env["CUSTOMERS"]["get"]>;

/** The owner's object, and the context its commands run in; an unknown or foreign id is a 404. */
export async function customerObject(
  c: Context<AppEnv>,
  owner: Owner,
): Promise<{ stub: CustomerStub; command: CommandContext }> {
  const traceId = c.get("trace").traceId;
  if ("anyMerchantsPurchase" in owner) {
    const { caller, customerId } = await anyMerchantsOwner(c.env, owner.anyMerchantsPurchase);
    // The admin surface's Idempotency-Keys are kept by the middleware (not a CUSTOMER_COMMANDS path).
    return { stub: stubOf(c.env, caller, customerId), command: { caller, traceId } };
  }
  const caller = c.get("auth");
  const customerId =
    "customer" in owner
      ? knownCustomerId(owner.customer)
      : "refund" in owner
        ? ownedBy("re", "refund", owner.refund)
        : ownedBy("pur", "purchase", owner.purchase);
  return { stub: stubOf(c.env, caller, customerId), command: { caller, idempotency: idempotencyRef(c), traceId } };
}

/** Runs a command on the owner's object: its value, or its refusal thrown as a problem; notes a replay. */
export async function customerCommand<R extends PromiseLike<CommandResult<unknown>>>(
  c: Context<AppEnv>,
  owner: Owner,
  run: (stub: CustomerStub, command: CommandContext) => R,
): Promise<ValueOf<Awaited<R>>> {
  const { stub, command } = await customerObject(c, owner);
  const result = await run(stub, command);
  if (result.replayed) c.set("replayed", true);
  if (result.ok && result.inFlight) c.set("inFlight", true);
  if (result.ok) return result.value as ValueOf<Awaited<R>>;
  throw new ApiError(result.code, result.detail, result.errors, {
    purchase: result.purchase,
    decline_code: result.decline_code,
  });
}

/**
 * Sends JSON the customer object has already serialised (it does so once, for storage and
 * for the answer alike), typed as the object it encodes.
 */
export function sendJson<T, S extends ContentfulStatusCode>(json: Json<T>, status: S) {
  const res = new Response(json, { status, headers: { "Content-Type": "application/json" } });
  return res as unknown as TypedResponse<T, S, "json">;
}

const stubOf = (env: Env, caller: AuthContext, customerId: string): CustomerStub =>
  env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${caller.merchantId}:${customerId}`));

/** Ids that cannot exist answer 404 without waking an object. */
function knownCustomerId(id: string): string {
  if (!isCustomerId(id)) throw notFound("customer", id);
  return id;
}

/**
 * The customer whose object holds a purchase or a refund, read from its id. The object (named by the
 * caller's merchant) answers 404 for one it does not hold: another merchant's, or of the other mode.
 */
function ownedBy(prefix: "pur" | "re", resource: string, id: string): string {
  const customerId = ownerOf(prefix, id);
  if (!customerId) throw notFound(resource, id);
  return customerId;
}

/** The key and fingerprint a customer command records its result under, if the request has a key. */
function idempotencyRef(c: Context<AppEnv>): IdempotencyRef | undefined {
  const idem = c.get("idempotency");
  return idem && { key: idem.key, fingerprint: idem.fingerprint };
}

/**
 * Operators act across merchants: the read model says whose purchase it is. The merchant is not in
 * the id, so every shard is asked at once; a merchant being moved may be in two, with the same answer.
 */
async function anyMerchantsOwner(env: Env, purchaseId: string) {
  const found = await Promise.all(
    shards(env).map((db) =>
      db
        .prepare("SELECT merchant_id, customer_id, livemode FROM purchases WHERE id = ?")
        .bind(purchaseId)
        .first<{ merchant_id: string; customer_id: string; livemode: number }>(),
    ),
  );
  const row = found.find((r) => r !== null);
  if (!row) throw notFound("purchase", purchaseId);
  return { caller: { merchantId: row.merchant_id, livemode: row.livemode === 1 }, customerId: row.customer_id };
}
