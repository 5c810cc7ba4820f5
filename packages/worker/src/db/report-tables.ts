import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/*
 * The reports' read model. Reports must cost O(periods), not O(ledger lines), so D1 keeps rollups,
 * which the projection's consumer (src/projection/statements.ts) adds to in the same atomic batch
 * as it inserts the rows they count, and only for rows D1 did not have: a row copied twice is
 * counted once (the triggers of migrations/0002 did this until 0010).
 *
 * Rollups are kept at UTC-aligned grains (`m` month, `d` day, and for the ledger `h` hour), keyed
 * by `bucket`, the bucket's start as `YYYY-MM-DDTHH:MM`. A period is a handful of signed runs of
 * whole buckets (`segments` in @tranche/shared: a Stockholm day is a UTC day plus one hour minus
 * another); what is finer than the finest grain is read from the raw rows.
 */

/** Ledger lines summed per grain, bucket, currency, posting event and account. */
export const ledgerRollups = sqliteTable(
  "ledger_rollups",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    grain: text("grain", { enum: ["m", "d", "h"] }).notNull(),
    bucket: text("bucket").notNull(),
    currency: text("currency").notNull(),
    event: text("event").notNull(),
    account: text("account").notNull(),
    amount: integer("amount").notNull(),
    lines: integer("lines").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.grain, t.bucket, t.currency, t.event, t.account] })],
);

/** The latest state of each installment as the reports see it, kept by the projection's consumer (src/projection). */
export const installmentStates = sqliteTable(
  "installments",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    customerId: text("customer_id").notNull(),
    /** The customer's sequence number of the change. */
    seq: integer("seq").notNull(),
    purchaseId: text("purchase_id").notNull(),
    number: integer("number").notNull(),
    currency: text("currency").notNull(),
    dueAt: text("due_at").notNull(),
    status: text("status").notNull(),
    /** `CollectionOutcome` (reports/rules/outcome.ts). */
    outcome: text("outcome").notNull(),
    /** What the installment collects, fees included. */
    amount: integer("amount").notNull(),
    /** The part of `amount` still receivable: `amount` while owed, else 0. */
    owed: integer("owed").notNull(),
    /**
     * The sequence numbers of the states D1 has added to the rollups, a JSON array: each counts
     * once however often it is copied (src/projection/statements.ts). The states stay in the objects.
     */
    states: text("states", { mode: "json" }).notNull().$type<number[]>(),
  },
  (t) => [
    primaryKey({ columns: [t.purchaseId, t.number] }),
    index("installments_due").on(t.merchantId, t.livemode, t.dueAt),
  ],
);

/** Installments counted and summed by outcome, per grain and bucket of their due date. */
export const collectionRollups = sqliteTable(
  "collection_rollups",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    grain: text("grain", { enum: ["m", "d"] }).notNull(),
    bucket: text("bucket").notNull(),
    currency: text("currency").notNull(),
    outcome: text("outcome").notNull(),
    count: integer("count").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.grain, t.bucket, t.currency, t.outcome] })],
);

/**
 * Changes of the receivable by the UTC day they happened and the UTC day the money falls due:
 * the book as it stood at the start of any day is the sum of the rows of earlier days.
 */
export const receivableHistory = sqliteTable(
  "receivable_history",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    currency: text("currency").notNull(),
    /** `YYYY-MM-DD`, UTC. */
    changedOn: text("changed_on").notNull(),
    dueOn: text("due_on").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.changedOn, t.currency, t.dueOn] })],
);

/** The same changes summed per instant, for the part of a day before an `as_of` instant. */
export const receivableChanges = sqliteTable(
  "receivable_changes",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    at: text("at").notNull(),
    currency: text("currency").notNull(),
    dueOn: text("due_on").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.at, t.currency, t.dueOn] })],
);
