import type { BatchRows } from "./aggregate";

/**
 * The D1 statements of one queue batch: one per table whatever the number of rows, each taking its
 * rows as ONE JSON parameter expanded by `json_each` (D1 binds at most 100 parameters a statement);
 * only a table's rows past D1's 2 MB limit on a value go on in a further statement.
 *
 * The rollups come first, and add only what comes from rows D1 does not have yet (`NOT EXISTS`:
 * ledger lines by key, installment states by their numbers in the installment's `states`); the
 * rows themselves are written after them, in the same batch, which D1 runs as one
 * transaction. So a message applied twice, late, concurrently with another batch or after a
 * crash halfway adds nothing twice: either the whole batch landed (its rows are there, and the
 * next copy of them finds them) or none of it did. Deciding which rows are new in memory instead
 * would need a read of D1 before the write, and another batch could land between the two.
 */

/** The grains of a rollup bucket: `substr(timestamp, 1, len) || tail`, UTC. */
const LEDGER_GRAINS = `(SELECT 'm' AS grain, 7 AS len, '-01T00:00' AS tail
  UNION ALL SELECT 'd', 10, 'T00:00' UNION ALL SELECT 'h', 13, ':00')`;
const DUE_GRAINS = `(SELECT 'm' AS grain, 7 AS len, '-01T00:00' AS tail UNION ALL SELECT 'd', 10, 'T00:00')`;

/** The ledger lines of the JSON parameter D1 does not hold yet. */
const FRESH_LINES = `(SELECT value AS v FROM json_each(?1)
  WHERE NOT EXISTS (SELECT 1 FROM ledger_entries t WHERE t.id = value->>'id'))`;

/** The deltas of the JSON parameter from installment states not yet counted: not in their installment's `states`. */
const FRESH_STATES = `(SELECT j.value AS v FROM json_each(?1) j WHERE NOT EXISTS (SELECT 1 FROM installments i, json_each(i.states) s
  WHERE i.purchase_id = j.value->>'purchase_id' AND i.number = j.value->>'number' AND s.value = j.value->>'seq'))`;

const LEDGER_ROLLUPS = `INSERT INTO ledger_rollups (merchant_id, livemode, grain, bucket, currency, event, account, amount, lines)
  SELECT v->>'merchant_id', v->>'livemode', g.grain, substr(v->>'created_at', 1, g.len) || g.tail, v->>'currency',
    v->>'event', v->>'account', SUM(v->>'amount'), COUNT(*)
  FROM ${FRESH_LINES} f, ${LEDGER_GRAINS} g WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (merchant_id, livemode, grain, bucket, currency, event, account)
    DO UPDATE SET amount = amount + excluded.amount, lines = lines + excluded.lines`;

const COLLECTION_ROLLUPS = `INSERT INTO collection_rollups (merchant_id, livemode, grain, bucket, currency, outcome, count, amount)
  SELECT v->>'merchant_id', v->>'livemode', g.grain, substr(v->>'due_at', 1, g.len) || g.tail, v->>'currency',
    v->>'outcome', SUM(v->>'count'), SUM(v->>'amount')
  FROM ${FRESH_STATES} f, ${DUE_GRAINS} g WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(v->>'count') <> 0 OR SUM(v->>'amount') <> 0
  ON CONFLICT (merchant_id, livemode, grain, bucket, currency, outcome)
    DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

// The aging report sums these by due date up to an instant: changes of one instant and due date
// are one row, and changes that cancel out are none.
const RECEIVABLE_CHANGES = `INSERT INTO receivable_changes (merchant_id, livemode, currency, at, due_on, amount)
  SELECT v->>'merchant_id', v->>'livemode', v->>'currency', v->>'at', v->>'due_on', SUM(v->>'amount')
  FROM ${FRESH_STATES} f WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING SUM(v->>'amount') <> 0
  ON CONFLICT (merchant_id, livemode, at, currency, due_on) DO UPDATE SET amount = amount + excluded.amount`;

const RECEIVABLE_HISTORY = `INSERT INTO receivable_history (merchant_id, livemode, currency, changed_on, due_on, amount)
  SELECT v->>'merchant_id', v->>'livemode', v->>'currency', substr(v->>'at', 1, 10), v->>'due_on', SUM(v->>'amount')
  FROM ${FRESH_STATES} f WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING SUM(v->>'amount') <> 0
  ON CONFLICT (merchant_id, livemode, changed_on, currency, due_on) DO UPDATE SET amount = amount + excluded.amount`;

/** `INSERT … SELECT` of the JSON rows' `columns`, then `tail` (a conflict clause). */
const insert = (verb: string, table: string, columns: string[], tail = "") =>
  `${verb} INTO ${table} (${columns.join(", ")})
  SELECT ${columns.map((c) => `value->>'${c}'`).join(", ")} FROM json_each(?1) WHERE true ${tail}`;

const OWNED = ["id", "merchant_id", "livemode", "customer_id"];
const APPENDS = {
  ledger_entries: [...OWNED, "purchase_id", "posting", "event", "currency", "account", "amount", "created_at"],
  events: [...OWNED, "event_id", "type", "purchase_id", "data", "created_at"],
};
const INSERT_LEDGER = insert("INSERT OR IGNORE", "ledger_entries", APPENDS.ledger_entries);
const INSERT_EVENTS = insert("INSERT OR IGNORE", "events", APPENDS.events);
// A redacted customer's events overwrite their copies, whichever arrives first: a copy of the original
// arriving later is ignored by INSERT_EVENTS, so once a redaction has landed, D1 holds only its version.
const REDACT_EVENTS = insert("INSERT", "events", APPENDS.events, "ON CONFLICT (id) DO UPDATE SET data = excluded.data");

// Only ever a later state: a replayed or overtaken message cannot roll D1 back. The states the
// batch counted join the installment's `states` whichever state wins, in the row's one write.
const LATER = "excluded.seq > installments.seq";
const STATE_COLUMNS = ["due_at", "status", "outcome", "amount", "owed", "seq"];
const INSTALLMENTS = insert(
  "INSERT",
  "installments",
  [...["purchase_id", "number", "merchant_id", "livemode", "customer_id", "currency"], ...STATE_COLUMNS, "states"],
  `ON CONFLICT (purchase_id, number) DO UPDATE SET
    ${STATE_COLUMNS.map((c) => `${c} = CASE WHEN ${LATER} THEN excluded.${c} ELSE installments.${c} END`).join(",\n    ")},
    states = (SELECT json_group_array(n) FROM (SELECT value AS n FROM json_each(installments.states)
      UNION SELECT value FROM json_each(excluded.states)))
  WHERE ${LATER} OR EXISTS (SELECT 1 FROM json_each(excluded.states) e
    WHERE e.value NOT IN (SELECT value FROM json_each(installments.states)))`,
);
const CUSTOMERS = insert(
  "INSERT",
  "customers",
  ["id", "merchant_id", "livemode", "email", "created_at", "version", "data"],
  `ON CONFLICT (id) DO UPDATE SET email = excluded.email, version = excluded.version, data = excluded.data
  WHERE excluded.version > customers.version`,
);
const PURCHASES = insert(
  "INSERT",
  "purchases",
  ["id", "merchant_id", "livemode", "customer_id", "status", "amount", "currency", "created_at", "version", "data"],
  `ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, data = excluded.data
  WHERE excluded.version > purchases.version`,
);

// A refund changes only with its purchase, so it is at its purchase's version, and kept likewise.
const REFUNDS = insert(
  "INSERT",
  "refunds",
  [...OWNED, "purchase_id", "status", "amount", "cash_returned", "currency", "created_at", "version", "data"],
  `ON CONFLICT (id) DO UPDATE SET status = excluded.status, cash_returned = excluded.cash_returned,
    version = excluded.version, data = excluded.data
  WHERE excluded.version > refunds.version`,
);

/** The batch's statements, in the order that makes them idempotent: rollups before the rows they count. */
export function batchStatements(db: D1Database, rows: BatchRows): D1PreparedStatement[] {
  const plan: [string, unknown[]][] = [
    [LEDGER_ROLLUPS, rows.ledger_entries],
    [COLLECTION_ROLLUPS, rows.collections],
    [RECEIVABLE_CHANGES, rows.receivable],
    [RECEIVABLE_HISTORY, rows.receivable],
    [INSTALLMENTS, rows.installments],
    [INSERT_LEDGER, rows.ledger_entries],
    [INSERT_EVENTS, rows.events],
    [REDACT_EVENTS, rows.redacted_events],
    [CUSTOMERS, rows.customers],
    [PURCHASES, rows.purchases],
    [REFUNDS, rows.refunds],
  ];
  // A table with nothing to write costs no statement.
  return plan.flatMap(([sql, r]) => chunks(r).map((json) => db.prepare(sql).bind(json)));
}

/** D1 takes strings of up to 2 MB: a table's rows as JSON arrays of at most half that. */
const PARAM_BYTES = 1_000_000;
const encoder = new TextEncoder();

function chunks(rows: unknown[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const length = encoder.encode(json).length;
    if (run.length > 0 && size + length + 1 > PARAM_BYTES) {
      out.push(`[${run.join(",")}]`);
      run = [];
      size = 2;
    }
    run.push(json);
    size += length + 1;
  }
  if (run.length > 0) out.push(`[${run.join(",")}]`);
  return out;
}
