import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { migrations } from "./d1-scratch";

const MIGRATION = "0012_rows_without_rowid.sql";

const OWNED = "'mer_1', 0, 'cus_1'";
const ROWS = [
  `INSERT INTO purchases (id, merchant_id, livemode, customer_id, status, amount, currency, created_at, version, data)
   VALUES ('pur_1', ${OWNED}, 'active', 10000, 'EUR', '2026-03-01T09:00:00.000Z', 3, '{"id":"pur_1"}')`,
  `INSERT INTO installments (purchase_id, number, merchant_id, livemode, customer_id, currency, due_at, status, outcome,
     amount, owed, seq)
   VALUES ('pur_1', 1, ${OWNED}, 'EUR', '2026-03-10T00:00:00.000Z', 'scheduled', 'pending', 2500, 2500, 2)`,
  `INSERT INTO installment_log (id, merchant_id, livemode, customer_id, seq, purchase_id, number, currency, due_at,
     status, outcome, amount, owed, at)
   VALUES ('cus_1:2', ${OWNED}, 2, 'pur_1', 1, 'EUR', '2026-03-10T00:00:00.000Z', 'scheduled', 'pending', 2500, 2500,
     '2026-03-01T09:00:00.000Z')`,
  `INSERT INTO ledger_entries (id, merchant_id, livemode, customer_id, purchase_id, posting, event, currency, account,
     amount, created_at)
   VALUES ('cus_1:1', ${OWNED}, 'pur_1', 1, 'capture', 'EUR', 'merchant_payable', -10000, '2026-03-01T09:00:00.000Z')`,
  `INSERT INTO events (id, merchant_id, livemode, customer_id, type, purchase_id, data, created_at, event_id)
   VALUES ('cus_1:1', ${OWNED}, 'purchase.created', 'pur_1', '{}', '2026-03-01T09:00:00.000Z', 'evt_1'),
          ('cus_1:0', ${OWNED}, 'purchase.created', 'pur_0', '{}', '2026-02-01T09:00:00.000Z', NULL)`,
  `INSERT INTO ledger_rollups VALUES ('mer_1', 0, 'h', '2026-03-01T09:00', 'EUR', 'capture', 'merchant_payable', -10000, 1)`,
  `INSERT INTO collection_rollups VALUES ('mer_1', 0, 'd', '2026-03-10T00:00', 'EUR', 'pending', 1, 2500)`,
  `INSERT INTO receivable_history VALUES ('mer_1', 0, 'EUR', '2026-03-01', '2026-03-10', 2500)`,
  // Two changes of one instant and due date: one row after the migration.
  `INSERT INTO receivable_changes (merchant_id, livemode, currency, at, due_on, amount)
   VALUES ('mer_1', 0, 'EUR', '2026-03-01T09:00:00.000Z', '2026-03-10', 2500),
          ('mer_1', 0, 'EUR', '2026-03-01T09:00:00.000Z', '2026-03-10', 1000)`,
];
const ROLLUPS = ["collection_rollups", "ledger_rollups", "receivable_history"];
const TABLES = ["events", "installments", "ledger_entries", "purchases", ...ROLLUPS];

describe(`D1 migration ${MIGRATION}`, () => {
  it("remakes the read model's keyed tables and rollups WITHOUT ROWID with their rows and the indexes a query reads, and folds the installment log into the installments", async () => {
    const stub = env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId());
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const rows = (query: string) => sql.exec(query).toArray();
      const { apply, before } = migrations(sql);
      before(MIGRATION);
      for (const q of ROWS) sql.exec(q);
      const copied = Object.fromEntries(TABLES.map((t) => [t, rows(`SELECT * FROM ${t} ORDER BY 1, 2`)]));

      apply(MIGRATION);
      for (const t of TABLES.filter((t) => t !== "installments")) {
        expect(rows(`SELECT * FROM ${t} ORDER BY 1, 2`), t).toEqual(copied[t]);
      }
      // Of the installment states, D1 keeps the numbers of those counted, in their installment's row.
      expect(rows("SELECT * FROM installments")).toEqual(copied.installments?.map((i) => ({ ...i, states: "[2]" })));
      expect(rows("SELECT * FROM receivable_changes")).toEqual([
        {
          merchant_id: "mer_1",
          livemode: 0,
          at: "2026-03-01T09:00:00.000Z",
          currency: "EUR",
          due_on: "2026-03-10",
          amount: 3500,
        },
      ]);
      const schema = rows(
        `SELECT type, name, tbl_name, sql LIKE '%WITHOUT ROWID' AS without_rowid FROM sqlite_master
         WHERE tbl_name IN (${[...TABLES, "receivable_changes", "installment_log"].map((t) => `'${t}'`).join(", ")})
         AND name NOT LIKE 'sqlite_autoindex%'
         ORDER BY tbl_name, type DESC, name`,
      );
      expect(schema).toEqual([
        { type: "table", name: "collection_rollups", tbl_name: "collection_rollups", without_rowid: 1 },
        { type: "table", name: "events", tbl_name: "events", without_rowid: 1 },
        { type: "index", name: "events_list", tbl_name: "events", without_rowid: 0 },
        { type: "table", name: "installments", tbl_name: "installments", without_rowid: 1 },
        { type: "index", name: "installments_due", tbl_name: "installments", without_rowid: 0 },
        { type: "table", name: "ledger_entries", tbl_name: "ledger_entries", without_rowid: 1 },
        { type: "index", name: "ledger_entries_merchant", tbl_name: "ledger_entries", without_rowid: 0 },
        { type: "table", name: "ledger_rollups", tbl_name: "ledger_rollups", without_rowid: 1 },
        { type: "table", name: "purchases", tbl_name: "purchases", without_rowid: 1 },
        { type: "index", name: "purchases_customer", tbl_name: "purchases", without_rowid: 0 },
        { type: "index", name: "purchases_merchant", tbl_name: "purchases", without_rowid: 0 },
        { type: "index", name: "purchases_status", tbl_name: "purchases", without_rowid: 0 },
        { type: "table", name: "receivable_changes", tbl_name: "receivable_changes", without_rowid: 1 },
        { type: "table", name: "receivable_history", tbl_name: "receivable_history", without_rowid: 1 },
      ]);
      // The keys still refuse a second copy of a row.
      expect(() => sql.exec(ROWS[3] ?? "")).toThrow(/UNIQUE/);
    });
  });
});
