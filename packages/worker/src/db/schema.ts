import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** The registry: merchants and their hashed API keys. */
export const merchants = sqliteTable("merchants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email"),
  createdAt: text("created_at").notNull(),
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
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash)],
);

/**
 * The read model, projected from each customer's Durable Object. `version` makes
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
  (t) => [
    index("ledger_entries_merchant").on(t.merchantId, t.livemode, t.createdAt),
    index("ledger_entries_purchase").on(t.purchaseId),
  ],
);

/** Reminders and state changes, per merchant (delivery to webhooks comes later). Append-only. */
export const events = sqliteTable(
  "events",
  {
    /** `<customer id>:<event number in the customer's object>`. */
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    customerId: text("customer_id").notNull(),
    type: text("type").notNull(),
    purchaseId: text("purchase_id"),
    data: text("data", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("events_merchant").on(t.merchantId, t.livemode, t.createdAt)],
);
