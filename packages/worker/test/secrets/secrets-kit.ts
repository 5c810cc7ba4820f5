// What the secrets-at-rest tests share: reading everything an object stores, as text to search.
import { env, runInDurableObject } from "cloudflare:test";
import { idempotencyShard } from "../../src/middleware/idempotency";

/** Every row of every table of a Durable Object's SQLite storage, as one JSON text. */
export const storageText = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
      )
      .toArray();
    return JSON.stringify(
      tables.map(({ name }) => [name, state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()]),
    );
  });

/** Everything the idempotency shard holding `key` (of `scope`: `admin` or `<merchant>:test`) stores. */
export const idempotencyText = (scope: string, key: string) => storageText(idempotencyShard(env, scope, key));

export const endpointObjectText = (endpointId: string) =>
  storageText(env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpointId)));

/** The webhook_endpoints rows of a merchant, every column, as JSON text. */
export const endpointRowsText = async (merchantId: string) =>
  JSON.stringify(
    (await env.DB.prepare("SELECT * FROM webhook_endpoints WHERE merchant_id = ?").bind(merchantId).all()).results,
  );
