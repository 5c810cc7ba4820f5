import type { AuthContext } from "../env";
import { idempotencyScope, idempotencyShard } from "../middleware/idempotency";
import type { Redaction } from "../objects/customer/commands";

/**
 * The part of a redaction outside the customer's object: the idempotency shards' claims of the keys
 * whose records showed the customer (its creation's among them). Run after the object's redaction, and
 * again by a retry (the object answers a redacted customer with its keys again), so a request that
 * died in between is completed by the next one. D1 and the webhook deliveries follow through the
 * projection (src/projection/).
 */
export async function redactIdempotencyClaims(env: Env, auth: AuthContext, redaction: Redaction): Promise<void> {
  const scope = idempotencyScope(auth);
  const byShard = new Map<string, { shard: ReturnType<typeof idempotencyShard>; keys: string[] }>();
  for (const key of redaction.keys) {
    const shard = idempotencyShard(env, scope, key);
    const id = shard.id.toString();
    byShard.set(id, { shard, keys: [...(byShard.get(id)?.keys ?? []), key] });
  }
  const owner = { merchantId: auth.merchantId, livemode: auth.livemode };
  await Promise.all(
    [...byShard.values()].map(({ shard, keys }) => shard.redactCustomer(keys, owner, redaction.customer.id)),
  );
}
