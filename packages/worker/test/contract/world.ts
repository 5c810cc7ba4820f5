// The fixtures the fuzz's requests point at: two merchants with one of everything a path can name.
// Valid requests go to the busy world's merchant, whose objects they may change; invalid ones to the
// quiet world's, whose stored state (`snapshot`) must not change at all. Each world's ids are the
// other's "another merchant's ids", which must answer 404.
import { env, runInDurableObject } from "cloudflare:test";
import type { Event, List } from "@tranche/shared";
import { vi } from "vitest";
import type { WebhookEndpointObject } from "../../src/webhooks/endpoint-object";
import { call, createPurchase, purchaseBody, settled as readModelSettled, shopper } from "../helpers";
import { readModelDb } from "../read-model-db";
import { event, Receiver } from "../webhooks/webhook-delivery-kit";
import { createEndpoint } from "../webhooks/webhook-endpoints-kit";

/** What a path parameter names, by the collection segment before it: /v1/<collection>/{param}. */
export type Resource =
  | "merchant"
  | "customer"
  | "payment_method"
  | "purchase"
  | "refund"
  | "event"
  | "webhook_endpoint"
  | "delivery"
  | "installment"
  | "api_key";

export const RESOURCE_OF: Record<string, Resource> = {
  merchants: "merchant",
  customers: "customer",
  payment_methods: "payment_method",
  purchases: "purchase",
  refunds: "refund",
  events: "event",
  webhook_endpoints: "webhook_endpoint",
  deliveries: "delivery",
  installments: "installment",
  keys: "api_key",
};

export interface World {
  merchantId: string;
  key: string;
  ids: Record<Resource, string[]>;
  /** The objects whose storage `snapshot` reads besides D1. */
  objects: DurableObjectStub[];
}

export async function makeWorld(): Promise<World> {
  const { key, merchant, customer, card } = await shopper();
  const automatic = await createPurchase(key, purchaseBody(customer.id, card.id));
  const manual = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
  const refund = await call<{ id: string }>(`/v1/purchases/${automatic.id}/refunds`, { key, body: { amount: 100 } });
  // Plain http to localhost (WEBHOOK_ALLOW_HTTP), answered by a receiver in the object, never the network.
  // Subscribed to an event no fixture makes: the fan-out would otherwise add deliveries at any moment.
  const endpoint = await createEndpoint(key, {
    url: "http://localhost:8787/hooks",
    enabled_events: ["purchase.cancelled"],
  });
  const endpointStub = env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpoint.id));
  await runInDurableObject(endpointStub, (instance: WebhookEndpointObject) => {
    instance.transport = new Receiver([200]).transport;
  });
  const evt = await firstEvent(key);
  // A restricted key for the key routes to roll and revoke: never the world's own key, which every request needs.
  const { body: spare } = await call<{ id: string }>("/v1/keys", {
    key,
    body: { type: "restricted", scopes: ["reports:read"] },
  });
  await endpointStub.enqueue(endpoint.id, [event({ id: evt.id, type: evt.type })]);
  return {
    merchantId: merchant.id,
    key,
    ids: {
      merchant: [merchant.id],
      customer: [customer.id],
      payment_method: [card.id],
      purchase: [automatic.id, manual.id],
      refund: [refund.body.id],
      event: [evt.id],
      webhook_endpoint: [endpoint.id],
      delivery: [evt.id],
      installment: ["1", "2"],
      api_key: [spare.id],
    },
    objects: [env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`)), endpointStub],
  };
}

/** The merchant's first event; the read model may lag the purchase by a moment. */
async function firstEvent(key: string): Promise<Event> {
  return vi.waitFor(async () => {
    const { body } = await call<List<Event>>("/v1/events?limit=1", { key });
    if (!body.data[0]) throw new Error("no event yet");
    return body.data[0];
  });
}

/**
 * Everything stored for the world's merchant, by table: its rows in every table with a merchant_id
 * of the directory and of its read-model shard (and the merchants table's size), and every table of
 * its customer's and endpoint's objects.
 */
export async function snapshot(world: World): Promise<Record<string, string>> {
  const [directory, shard] = await Promise.all([
    merchantRows(env.DB, world.merchantId),
    merchantRows(await readModelDb(world.merchantId), world.merchantId),
  ]);
  const merchants = await env.DB.prepare("SELECT COUNT(*) AS merchants FROM merchants").all();
  const stored: Record<string, string> = { "D1 merchants (count)": JSON.stringify(merchants.results) };
  for (const [name, rows] of directory) stored[`D1 ${name}`] = rows;
  for (const [name, rows] of shard) stored[`D1 read model ${name}`] = rows;
  for (const [i, stub] of world.objects.entries()) {
    const objectTables = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      return sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
        )
        .toArray()
        .map((t) => [t.name, JSON.stringify(sql.exec(`SELECT * FROM "${t.name}"`).toArray())] as const);
    });
    for (const [name, json] of objectTables) stored[`object ${i} ${name}`] = json;
  }
  return stored;
}

/** The tables whose contents differ between two snapshots. */
export const changed = (before: Record<string, string>, after: Record<string, string>) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);

/** Waits for the world's background work (projections, webhook fan-out) to finish: two equal snapshots in a row. */
export async function settled(world: World): Promise<void> {
  // D1 first: what the customer objects handed the projection queue.
  await readModelSettled();
  let last = await snapshot(world);
  await vi.waitFor(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await snapshot(world);
      const moved = changed(last, now);
      last = now;
      if (moved.length) throw new Error(`still changing: ${moved.join(", ")}`);
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** The merchant's rows in every table of `db` with a merchant_id, as JSON by table name. */
async function merchantRows(db: D1Database, merchantId: string): Promise<[string, string][]> {
  const tables = await db
    .prepare(
      // D1 refuses pragma functions, so the column is found in the tables' definitions.
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%merchant_id%' ORDER BY name",
    )
    .all<{ name: string }>();
  const rows = await db.batch(
    tables.results.map((t) => db.prepare(`SELECT * FROM "${t.name}" WHERE merchant_id = ?`).bind(merchantId)),
  );
  // Rows in a fixed order: most read-model tables are WITHOUT ROWID (migrations/0012), so no insertion order.
  const sorted = (results: unknown[] | undefined) => results?.map((r) => JSON.stringify(r)).sort();
  return tables.results.map((t, i) => [t.name, JSON.stringify(sorted(rows[i]?.results))]);
}
