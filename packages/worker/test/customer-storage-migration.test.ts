import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AfterCommit } from "../src/objects/customer/storage/after-commit";
import { Outbox } from "../src/objects/customer/storage/outbox";
import { MIGRATIONS, schemaVersion } from "../src/objects/customer/storage/schema";
import { CustomerStore } from "../src/objects/customer/storage/store";

/** The object's migration that gave its tables the API's spelling, "installment". */
const RENAME = MIGRATIONS.findIndex((ddl) => ddl.includes("ALTER TABLE instalments RENAME TO installments"));

// A customer object deployed before the rename holds rows under the old names; they must survive it.
describe("the customer object's storage, migrated from before its tables said installment", () => {
  it("keeps every row under the new names, and migrating again changes nothing", async () => {
    expect(RENAME).toBeGreaterThan(0);
    const stub = env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId());
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      for (const ddl of MIGRATIONS.slice(0, RENAME)) sql.exec(ddl);
      sql.exec("CREATE TABLE schema_version (v INTEGER NOT NULL)");
      sql.exec("INSERT INTO schema_version (v) VALUES (?)", RENAME);
      sql.exec(
        `INSERT INTO purchases (id, status, amount, currency, interest_total, total, plan, capture, captured_at,
           payment_method, merchant_reference, line_items, metadata, created_at, version)
         VALUES ('pur_1', 'active', 2000, 'EUR', 0, 2000, '{"type":"pay_in_n","n":2}', 'automatic',
           '2026-03-01T09:00:00.000Z', 'pm_1', NULL, '[]', '{}', '2026-03-01T09:00:00.000Z', 3)`,
      );
      sql.exec(
        `INSERT INTO instalments (purchase_id, number, amount, principal, interest, due_at, status, late_fee, charge_id)
         VALUES ('pur_1', 1, 1000, 1000, 0, '2026-03-01T09:00:00.000Z', 'paid', 0, 'ch_1'),
                ('pur_1', 2, 1000, 1000, 0, '2026-03-15T09:00:00.000Z', 'failed', 500, NULL)`,
      );
      sql.exec(
        `INSERT INTO instalment_log (purchase_id, number, currency, due_at, status, outcome, amount, owed, at)
         VALUES ('pur_1', 2, 'EUR', '2026-03-15T09:00:00.000Z', 'failed', 'dunning', 1500, 1500, '2026-03-15T09:00:00.000Z')`,
      );
      sql.exec(
        `INSERT INTO ledger (posting, event, purchase_id, currency, account, amount, created_at)
         VALUES (1, 'instalment_paid', 'pur_1', 'EUR', 'receivable', -1000, '2026-03-01T09:00:00.000Z')`,
      );
      sql.exec(
        `INSERT INTO events (type, purchase_id, number, data, created_at)
         VALUES ('instalment.failed', 'pur_1', 2, '{}', '2026-03-15T09:00:00.000Z')`,
      );
      sql.exec("INSERT INTO projection_marks (name, last) VALUES ('instalment_log', 1)");

      const store = new CustomerStore(state.storage, new Outbox(sql, () => true), new AfterCommit());
      store.migrate();
      expect(schemaVersion(sql)).toBe(MIGRATIONS.length);
      const rows = (query: string) => sql.exec(query).toArray();
      expect(rows("SELECT name FROM sqlite_master WHERE name LIKE 'instalment%'")).toEqual([]);
      expect(store.installments("pur_1")).toMatchObject([
        { number: 1, status: "paid", charge_id: "ch_1" },
        { number: 2, status: "failed", late_fee: 500, charge_id: null },
      ]);
      expect(rows("SELECT number, outcome, owed FROM installment_log")).toEqual([
        { number: 2, outcome: "dunning", owed: 1500 },
      ]);
      expect(rows("SELECT event FROM ledger")).toEqual([{ event: "installment_paid" }]);
      expect(rows("SELECT type FROM events")).toEqual([{ type: "installment.failed" }]);
      expect(rows("SELECT name, last FROM projection_marks")).toEqual([{ name: "installment_log", last: 1 }]);

      const before = rows("SELECT * FROM installments ORDER BY number");
      store.migrate();
      new CustomerStore(state.storage, new Outbox(sql, () => true), new AfterCommit()).migrate();
      expect(schemaVersion(sql)).toBe(MIGRATIONS.length);
      expect(rows("SELECT * FROM installments ORDER BY number")).toEqual(before);
    });
  });
});
