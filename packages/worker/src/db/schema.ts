import type { ApiKeyScope } from "@tranche/shared";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** The registry: merchants and their hashed API keys. */
export const merchants = sqliteTable("merchants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email"),
  createdAt: text("created_at").notNull(),
});

/** The directory's map of each merchant to its read-model shard (src/shards/). */
export const merchantShards = sqliteTable("merchant_shards", {
  merchantId: text("merchant_id").primaryKey(),
  shard: integer("shard").notNull(),
});

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    /** The first characters of the key, so a merchant can tell keys apart. */
    prefix: text("prefix").notNull(),
    mode: text("mode", { enum: ["test", "live"] }).notNull(),
    /** `secret` keys do everything; `restricted` keys only what their `scopes` allow (src/keys/scopes.ts). */
    type: text("type", { enum: ["secret", "restricted"] })
      .notNull()
      .default("secret"),
    name: text("name"),
    /** A restricted key's scopes, a JSON array; null for a secret key. */
    scopes: text("scopes", { mode: "json" }).$type<ApiKeyScope[]>(),
    createdAt: text("created_at").notNull(),
    /** Set when the key is rolled: it is refused from then on (the grace period's end). */
    expiresAt: text("expires_at"),
    revokedAt: text("revoked_at"),
    /** Within a minute: the auth middleware writes it at most once a minute per key (src/keys/last-used.ts). */
    lastUsedAt: text("last_used_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_merchant").on(t.merchantId, t.mode, t.id)],
);

/**
 * The read model, projected from each customer's Durable Object. Its tables of purchases,
 * installments, ledger lines, events and rollups are `WITHOUT ROWID`
 * (migrations/0012), which drizzle cannot say: one b-tree keyed by the primary key, so a row
 * written is one entry. `version` makes
 * projection writes idempotent: an older version never overwrites a newer one.
 * `data` is the full API object as the Durable Object last returned it.
 */
export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    email: text("email"),
    createdAt: text("created_at").notNull(),
    version: integer("version").notNull(),
    data: text("data", { mode: "json" }).notNull(),
  },
  (t) => [index("customers_merchant").on(t.merchantId, t.livemode, t.id)],
);

export const purchases = sqliteTable(
  "purchases",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    customerId: text("customer_id").notNull(),
    status: text("status").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: text("created_at").notNull(),
    version: integer("version").notNull(),
    data: text("data", { mode: "json" }).notNull(),
  },
  (t) => [
    index("purchases_merchant").on(t.merchantId, t.livemode, t.id),
    index("purchases_customer").on(t.merchantId, t.livemode, t.customerId, t.id),
    index("purchases_status").on(t.merchantId, t.livemode, t.status, t.id),
  ],
);

/** Refunds, projected with their purchase: `version` is the purchase's (migrations/0013). */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    customerId: text("customer_id").notNull(),
    purchaseId: text("purchase_id").notNull(),
    status: text("status").notNull(),
    amount: integer("amount").notNull(),
    cashReturned: integer("cash_returned").notNull(),
    currency: text("currency").notNull(),
    createdAt: text("created_at").notNull(),
    version: integer("version").notNull(),
    data: text("data", { mode: "json" }).notNull(),
  },
  (t) => [
    index("refunds_merchant").on(t.merchantId, t.livemode, t.id),
    index("refunds_customer").on(t.merchantId, t.livemode, t.customerId, t.id),
    index("refunds_status").on(t.merchantId, t.livemode, t.status, t.id),
  ],
);

/** The ledger lines of every customer's object, for merchant-wide reports. Append-only. */
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    /** `<customer id>:<line number in the customer's ledger>`: projecting a line twice is a no-op. */
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    customerId: text("customer_id").notNull(),
    purchaseId: text("purchase_id").notNull(),
    posting: integer("posting").notNull(),
    event: text("event").notNull(),
    currency: text("currency").notNull(),
    account: text("account").notNull(),
    amount: integer("amount").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("ledger_entries_merchant").on(t.merchantId, t.livemode, t.createdAt)],
);

/** Reminders and state changes, per merchant (delivery to webhooks comes later). Append-only. */
export const events = sqliteTable(
  "events",
  {
    /** `<customer id>:<event number in the customer's object>`: copying an event twice is a no-op. */
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    customerId: text("customer_id").notNull(),
    type: text("type").notNull(),
    purchaseId: text("purchase_id"),
    /** The event's `data`: the object as the change left it, and the event's details. */
    data: text("data", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
    /** The public id (`evt_…`, time-ordered), the cursor of the events list. Null on rows from before 0005. */
    eventId: text("event_id"),
  },
  // Read per merchant and mode only (the list, an event by id, the webhooks' recovery): no index of `event_id` alone.
  (t) => [index("events_list").on(t.merchantId, t.livemode, t.eventId)],
);

/**
 * Where a merchant's events are POSTed, per mode. The registry itself, not a projection: the API
 * reads and writes it directly. `secret` and `previous_secret` are HMAC keys the deliveries are
 * signed with, so they are stored as issued (a hash could not sign); the API shows a secret only in
 * the answer that issued it, and nothing logs them. After a rotation, deliveries are signed with
 * both until `previous_secret_expires_at`.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    url: text("url").notNull(),
    /** `["*"]` or event types. */
    enabledEvents: text("enabled_events", { mode: "json" }).notNull().$type<string[]>(),
    description: text("description"),
    status: text("status", { enum: ["enabled", "disabled"] }).notNull(),
    metadata: text("metadata", { mode: "json" }).notNull().$type<Record<string, string>>(),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: text("previous_secret_expires_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_merchant").on(t.merchantId, t.livemode, t.id)],
);

export * from "./report-tables";

/**
 * The alert rules PagerDuty holds an open incident for (src/monitor/run.ts), so a rule that
 * clears is resolved once, and only after it was triggered. In D1 rather than KV: a run must
 * read what the previous run wrote, which KV's eventual consistency does not promise.
 */
export const monitorIncidents = sqliteTable("monitor_incidents", {
  rule: text("rule").primaryKey(),
  triggeredAt: text("triggered_at").notNull(),
});

/** A mark per merchant and mode: who is listening, on one kind of stream. */
const streamMarks = (name: string) =>
  sqliteTable(
    name,
    {
      merchantId: text("merchant_id").notNull(),
      livemode: integer("livemode", { mode: "boolean" }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.merchantId, t.livemode] })],
  );

/** Merchants and modes with an event stream attached (migrations/0017, src/events/stream-object/). */
export const eventStreams = streamMarks("event_streams");

/** Merchants and modes with a request log tail attached (migrations/0018, src/logs/). */
export const logTails = streamMarks("log_tails");
