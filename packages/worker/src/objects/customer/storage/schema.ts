/**
 * The customer object's own SQLite schema. Each entry runs once, in order; the
 * applied count is kept in `schema_version`, so new entries are new migrations.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE customer (
     id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL, livemode INTEGER NOT NULL,
     email TEXT, name TEXT, credit_limits TEXT NOT NULL, metadata TEXT NOT NULL,
     created_at TEXT NOT NULL, version INTEGER NOT NULL);
   CREATE TABLE payment_methods (
     id TEXT PRIMARY KEY, token TEXT NOT NULL, brand TEXT NOT NULL, last4 TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE purchases (
     id TEXT PRIMARY KEY, status TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
     interest_total INTEGER NOT NULL, total INTEGER NOT NULL, plan TEXT NOT NULL, capture TEXT NOT NULL,
     captured_at TEXT, payment_method TEXT NOT NULL, merchant_reference TEXT, line_items TEXT NOT NULL,
     metadata TEXT NOT NULL, created_at TEXT NOT NULL, version INTEGER NOT NULL);
   CREATE TABLE instalments (
     purchase_id TEXT NOT NULL, number INTEGER NOT NULL, amount INTEGER NOT NULL, principal INTEGER NOT NULL,
     interest INTEGER NOT NULL, due_at TEXT NOT NULL, status TEXT NOT NULL,
     PRIMARY KEY (purchase_id, number));
   -- Command results by Idempotency-Key: a retry with the same request gets the first result again.
   CREATE TABLE commands (idempotency_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, result TEXT NOT NULL,
     created_at TEXT NOT NULL);
   -- Objects whose latest version D1 has not acknowledged yet.
   CREATE TABLE outbox (kind TEXT NOT NULL, object_id TEXT NOT NULL, version INTEGER NOT NULL,
     PRIMARY KEY (kind, object_id));`,
  // The customer's double-entry ledger: one row per posting line; each posting's lines sum to zero.
  `CREATE TABLE ledger (
     id INTEGER PRIMARY KEY AUTOINCREMENT, posting INTEGER NOT NULL, event TEXT NOT NULL, purchase_id TEXT NOT NULL,
     currency TEXT NOT NULL, account TEXT NOT NULL, amount INTEGER NOT NULL, created_at TEXT NOT NULL);
   CREATE INDEX ledger_purchase ON ledger (purchase_id);`,
  // Collections: what dunning, fees and extensions remember per instalment; the timed actions the
  // alarm runs (one per instalment and type, so re-planning replaces); the simulated processor's
  // log; and the test clock of a test-mode customer (frozen time, moved only by advance_clock).
  `ALTER TABLE instalments ADD COLUMN attempts_failed INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE instalments ADD COLUMN late_fee INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE instalments ADD COLUMN extension_fees INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE instalments ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE instalments ADD COLUMN cash_refunded INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE actions (purchase_id TEXT NOT NULL, number INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL,
     PRIMARY KEY (purchase_id, number, type));
   CREATE INDEX actions_at ON actions (at);
   CREATE TABLE processor_calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL,
     kind TEXT NOT NULL, attempt INTEGER NOT NULL, payment_method_id TEXT, charge_id TEXT, call TEXT NOT NULL);
   CREATE INDEX processor_calls_key ON processor_calls (idempotency_key, attempt);
   CREATE INDEX processor_calls_charge ON processor_calls (charge_id);
   CREATE TABLE test_clock (frozen_at TEXT NOT NULL);
   CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, purchase_id TEXT,
     number INTEGER, data TEXT NOT NULL, created_at TEXT NOT NULL);`,
  // Refunds, and the processor's id of each paid instalment's charge (what a cash refund refunds).
  `ALTER TABLE instalments ADD COLUMN charge_id TEXT;
   CREATE TABLE refunds (id TEXT PRIMARY KEY, purchase_id TEXT NOT NULL, amount INTEGER NOT NULL,
     cash_returned INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, created_at TEXT NOT NULL);`,
  // How far the append-only tables (ledger, events) have been copied to D1.
  `CREATE TABLE projection_marks (name TEXT PRIMARY KEY, last INTEGER NOT NULL);`,
  // Every state of every captured instalment the reports can tell apart, at the customer's time (instalment-log.ts);
  // copied to D1 like the ledger, where triggers roll it up for the collections and aging reports.
  `CREATE TABLE instalment_log (id INTEGER PRIMARY KEY AUTOINCREMENT, purchase_id TEXT NOT NULL,
     number INTEGER NOT NULL, currency TEXT NOT NULL, due_at TEXT NOT NULL, status TEXT NOT NULL,
     outcome TEXT NOT NULL, amount INTEGER NOT NULL, owed INTEGER NOT NULL, at TEXT NOT NULL);`,
  // An instalment's last logged state, to skip logging one the reports would not see change.
  `CREATE INDEX instalment_log_instalment ON instalment_log (purchase_id, number, id);`,
  // Command results expire after 24 hours (of real time since issue 18, below); every commit prunes them.
  `CREATE INDEX commands_created ON commands (created_at);`,
  // "installment", one spelling everywhere (issue 9): the tables, and the names stored in rows.
  `ALTER TABLE instalments RENAME TO installments;
   ALTER TABLE instalment_log RENAME TO installment_log;
   DROP INDEX instalment_log_instalment;
   CREATE INDEX installment_log_installment ON installment_log (purchase_id, number, id);
   UPDATE ledger SET event = 'installment_paid' WHERE event = 'instalment_paid';
   UPDATE events SET type = 'installment' || substr(type, 11) WHERE type LIKE 'instalment.%';
   UPDATE projection_marks SET name = 'installment_log' WHERE name = 'instalment_log';`,
  // Intent before every external call (issue 9). Each processor call a command or the alarm makes is
  // first an intent row, its key fixed, committed with the command's record; the call and its
  // outcome follow. A command's record holds no result while it runs (`resume` says how to finish it).
  `CREATE TABLE intents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, purchase_id TEXT NOT NULL, number INTEGER,
     refund_id TEXT, charge_id TEXT, processor_key TEXT NOT NULL, amount INTEGER NOT NULL, status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT, failure TEXT, created_at TEXT NOT NULL);
   CREATE INDEX intents_next ON intents (next_at) WHERE status = 'pending';
   CREATE INDEX intents_refund ON intents (refund_id);
   CREATE TABLE commands_new (idempotency_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, result TEXT,
     resume TEXT, created_at TEXT NOT NULL);
   INSERT INTO commands_new (idempotency_key, fingerprint, result, created_at)
     SELECT idempotency_key, fingerprint, result, created_at FROM commands;
   DROP TABLE commands;
   ALTER TABLE commands_new RENAME TO commands;
   CREATE INDEX commands_created ON commands (created_at);`,
  // Events merchants can read and receive (issue 10): a public id (the webhook-id of every delivery)
  // and the object as it was when the event happened, written at the end of its transaction.
  `ALTER TABLE events ADD COLUMN event_id TEXT;
   ALTER TABLE events ADD COLUMN object TEXT;
   UPDATE events SET event_id = 'evt_' || id, object = data;
   CREATE INDEX events_unwritten ON events (id) WHERE object IS NULL;`,
  // The trace id of the request that created each purchase (issue 11): its charges, run by the
  // alarm months later, log and report under it. Empty for purchases made before.
  `ALTER TABLE purchases ADD COLUMN trace_id TEXT NOT NULL DEFAULT '';`,
  // Command records expire by real time (issue 18): a test clock no longer ages an Idempotency-Key. A
  // customer with a test clock stamped its records with that clock, which may be days ahead of real
  // time or behind it; they are stamped afresh with the real time now, so each still lives at least
  // 24 hours of real time. Other customers' records were stamped with real time already.
  `UPDATE commands SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE EXISTS (SELECT 1 FROM test_clock);`,
  // Authorisation holds of manual captures (issue 18): one per purchase, its processor keys derived from
  // the purchase id and its pending call's time (call_at) fixed before the call (holds/).
  `CREATE TABLE holds (purchase_id TEXT PRIMARY KEY, number INTEGER NOT NULL, amount INTEGER NOT NULL,
     status TEXT NOT NULL, charge_id TEXT, expires_at TEXT, ends_at TEXT NOT NULL, call_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, failure TEXT, created_at TEXT NOT NULL);`,
  // Customers a merchant manages (issue 20): a default card purchases move to when theirs is detached, a
  // detached card kept (its id is in purchases and the processor's log) but never listed nor charged, and
  // the time the customer's personal data was erased.
  `ALTER TABLE customer ADD COLUMN default_payment_method TEXT;
   ALTER TABLE customer ADD COLUMN redacted_at TEXT;
   ALTER TABLE payment_methods ADD COLUMN detached_at TEXT;`,
];

/** The schema version applied to this storage; 0 while the object has never been written. */
export function schemaVersion(sql: SqlStorage): number {
  const table = sql
    .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .toArray()[0];
  if (!table) return 0;
  return sql.exec<{ v: number }>("SELECT v FROM schema_version").one().v;
}

/** Applies the migrations after `from`, all in one transaction; returns the version now applied. */
export function migrate(storage: DurableObjectStorage, from: number): number {
  if (from === MIGRATIONS.length) return from;
  storage.transactionSync(() => {
    storage.sql.exec("CREATE TABLE IF NOT EXISTS schema_version (v INTEGER NOT NULL)");
    for (const ddl of MIGRATIONS.slice(from)) storage.sql.exec(ddl);
    storage.sql.exec("DELETE FROM schema_version");
    storage.sql.exec("INSERT INTO schema_version (v) VALUES (?)", MIGRATIONS.length);
  });
  return MIGRATIONS.length;
}
