import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { aggregate } from "../../src/projection/aggregate";
import type { ProjectionMessage } from "../../src/projection/message";
import { readModelDb } from "../read-model-db";

/**
 * A merchant's read model, table by table, in a form two ways of projecting must agree on. Rows
 * the rollups hold at zero are left out (the triggers kept a row a state left and came back to;
 * the consumer writes no row for a change that cancels out within its batch), and the receivable's
 * changes are summed per instant and due date (the aging report reads no finer).
 */
const READ_MODEL: Record<string, string> = {
  customers: "SELECT id, livemode, email, created_at, version, data FROM customers WHERE merchant_id = ?1 ORDER BY id",
  purchases: "SELECT * FROM purchases WHERE merchant_id = ?1 ORDER BY id",
  refunds: "SELECT * FROM refunds WHERE merchant_id = ?1 ORDER BY id",
  ledger_entries: "SELECT * FROM ledger_entries WHERE merchant_id = ?1 ORDER BY id",
  events: "SELECT * FROM events WHERE merchant_id = ?1 ORDER BY id",
  // The keys of the installment states counted, kept in each installment's row since migrations/0012.
  installment_log: `SELECT i.customer_id || ':' || s.value AS id FROM installments i, json_each(i.states) s
    WHERE i.merchant_id = ?1 ORDER BY 1`,
  installments: `SELECT purchase_id, number, merchant_id, livemode, customer_id, currency, due_at, status, outcome,
    amount, owed, seq FROM installments WHERE merchant_id = ?1 ORDER BY purchase_id, number`,
  ledger_rollups: "SELECT * FROM ledger_rollups WHERE merchant_id = ?1 ORDER BY 2, 3, 4, 5, 6, 7",
  collection_rollups: `SELECT * FROM collection_rollups WHERE merchant_id = ?1 AND (count <> 0 OR amount <> 0)
    ORDER BY 2, 3, 4, 5, 6`,
  receivable_changes: `SELECT livemode, currency, at, due_on, SUM(amount) AS amount FROM receivable_changes
    WHERE merchant_id = ?1 GROUP BY 1, 2, 3, 4 HAVING SUM(amount) <> 0 ORDER BY 1, 2, 3, 4`,
  receivable_history: "SELECT * FROM receivable_history WHERE merchant_id = ?1 AND amount <> 0 ORDER BY 2, 3, 4, 5",
};

/** The same read of the tables as they were up to 0009, which kept every installment state in a log. */
const READ_MODEL_0009 = {
  ...READ_MODEL,
  installment_log: "SELECT id FROM installment_log WHERE merchant_id = ?1 ORDER BY id",
};

export type ReadModelSnapshot = Record<string, unknown[]>;

/** The merchant's read model in D1. */
export async function readModelOf(merchantId: string): Promise<ReadModelSnapshot> {
  const tables = Object.entries(READ_MODEL);
  const db = await readModelDb(merchantId);
  const results = await db.batch(tables.map(([, q]) => db.prepare(q).bind(merchantId)));
  return Object.fromEntries(tables.map(([name], i) => [name, results[i]?.results ?? []]));
}

/** Forgets everything D1's read model holds of the merchant, so a test can project it again. */
export async function forgetMerchant(merchantId: string): Promise<void> {
  const db = await readModelDb(merchantId);
  // The installment states' keys go with their installments.
  const tables = Object.keys(READ_MODEL).filter((t) => t !== "installment_log");
  await db.batch(tables.map((table) => db.prepare(`DELETE FROM ${table} WHERE merchant_id = ?`).bind(merchantId)));
}

const OBJECT_COLUMNS = {
  customers: ["id", "merchant_id", "livemode", "email", "created_at", "version", "data"],
  purchases: [
    "id",
    "merchant_id",
    "livemode",
    "customer_id",
    "status",
    "amount",
    "currency",
    "created_at",
    "version",
    "data",
  ],
  refunds: [
    "id",
    "merchant_id",
    "livemode",
    "customer_id",
    "purchase_id",
    "status",
    "amount",
    "cash_returned",
    "currency",
    "created_at",
    "version",
    "data",
  ],
};

/**
 * The read model the messages make when projected as before the projection queue: row by row,
 * in the order the objects sent them, into a fresh SQLite migrated up to 0009, whose triggers
 * roll every row up as it is inserted (what `migrations/0010_projection_consumer.sql` dropped),
 * plus the refunds table of 0013, written like the purchases they come with.
 */
export async function reprojectWithTriggers(messages: ProjectionMessage[], merchantId: string) {
  const scratch = env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId());
  return runInDurableObject(scratch, (_instance, state) => {
    const sql = state.storage.sql;
    const applied = env.TEST_MIGRATIONS.filter((m) => m.name < "0010" || m.name.startsWith("0013_"));
    for (const m of applied) for (const q of m.queries) sql.exec(q);
    const insert = (verb: string, table: string, row: Record<string, unknown>, columns = Object.keys(row), tail = "") =>
      sql.exec(
        `${verb} INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ${tail}`,
        ...columns.map((c) => row[c] as SqlStorageValue),
      );
    for (const m of messages) {
      const rows = aggregate([m]);
      for (const [table, columns] of Object.entries(OBJECT_COLUMNS)) {
        for (const row of rows[table as keyof typeof OBJECT_COLUMNS]) {
          const set = columns.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`);
          const tail = `ON CONFLICT (id) DO UPDATE SET ${set.join(", ")} WHERE excluded.version > ${table}.version`;
          insert("INSERT", table, row, columns, tail);
        }
      }
      for (const table of ["ledger_entries", "events"] as const) {
        for (const row of rows[table]) insert("INSERT OR IGNORE", table, row);
      }
      const owner = { merchant_id: m.merchantId, livemode: m.livemode ? 1 : 0, customer_id: m.customerId };
      for (const { id: seq, prev: _prev, ...state } of m.installment_log) {
        insert("INSERT OR IGNORE", "installment_log", { ...state, ...owner, id: `${m.customerId}:${seq}`, seq });
      }
    }
    return Object.fromEntries(
      Object.entries(READ_MODEL_0009).map(([name, q]) => [name, sql.exec(q, merchantId).toArray()]),
    ) as ReadModelSnapshot;
  });
}

/** D1's read model of the merchant equals a fresh re-projection of its messages through the triggers. */
export async function expectFaithful(merchantId: string, messages: ProjectionMessage[]) {
  const expected = await reprojectWithTriggers(messages, merchantId);
  // The history touches every table of the read model.
  for (const [table, rows] of Object.entries(expected)) expect(rows.length, table).toBeGreaterThan(0);
  expect(await readModelOf(merchantId)).toEqual(expected);
}
