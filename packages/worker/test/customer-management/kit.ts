import { env, runInDurableObject } from "cloudflare:test";
import { shards } from "../../src/shards";

/** What the customer management tests share: every place Tranche stores data, read back as text to search. */

/** Every row of every table of a Durable Object's SQLite, as text. */
export function objectText(stub: DurableObjectStub): Promise<string> {
  return runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
      )
      .toArray()
      .map((t) => t.name);
    return JSON.stringify(tables.map((name) => [name, sql.exec(`SELECT * FROM "${name}"`).toArray()]));
  });
}

/** Every row of every table of the directory and of every read-model shard, as text. */
export async function d1Text(): Promise<string> {
  const dbs = [env.DB, ...shards(env)];
  const texts = await Promise.all(
    dbs.map(async (db) => {
      const tables = await db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
        )
        .all<{ name: string }>();
      const rows = await Promise.all(
        tables.results.map(async ({ name }) => [name, (await db.prepare(`SELECT * FROM "${name}"`).all()).results]),
      );
      return JSON.stringify(rows);
    }),
  );
  return texts.join("\n");
}

/** The idempotency shards of a merchant's test mode (middleware/idempotency.ts spreads keys over 16). */
export async function idempotencyText(merchantId: string): Promise<string> {
  const texts = [];
  for (let shard = 0; shard < 16; shard++) {
    const stub = env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName(`${merchantId}:test:${shard}`));
    texts.push(await objectText(stub));
  }
  return texts.join("\n");
}

export const customerStub = (merchantId: string, customerId: string) =>
  env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchantId}:${customerId}`));

/** Waits until `check` holds (the projection and the queues run on their own schedule), for at most 10 s. */
export async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Names and an email no other test uses, so a search for them finds only this customer's data. */
export function personalData() {
  const tag = crypto.randomUUID().slice(0, 8);
  return {
    email: `erin.${tag}@redact.example`,
    name: `Erin Quill ${tag}`,
    renamed: `Erin Marsh ${tag}`,
    metadataValue: `loyalty-${tag}`,
  };
}
