import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { migrations } from "./d1-scratch";

const RENAME = "0009_installments_tables.sql";

/** One state of installment 1 of pur_1, as a customer object copies it: `seq` orders the states. */
const state = (table: string, seq: number, outcome: string, owed: number, at: string) =>
  `INSERT INTO ${table} (id, merchant_id, livemode, customer_id, seq, purchase_id, number, currency, due_at, status,
     outcome, amount, owed, at)
   VALUES ('cus_1:${seq}', 'mer_1', 0, 'cus_1', ${seq}, 'pur_1', 1, 'EUR', '2026-03-10T00:00:00.000Z', 'scheduled',
     '${outcome}', 1000, ${owed}, '${at}')`;

// A fresh SQLite of the engine local D1 runs on (a Durable Object's: D1's own binding is already
// migrated to the end for every test file), migrated to the previous migration, holding data.
describe(`D1 migration ${RENAME}`, () => {
  it("keeps every row and the rollup trigger, which goes on working under the new names", async () => {
    const stub = env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId());
    await runInDurableObject(stub, (_instance, objectState) => {
      const sql = objectState.storage.sql;
      const { apply, before } = migrations(sql);
      before(RENAME);
      sql.exec(state("instalment_log", 1, "pending", 1000, "2026-03-01T09:00:00.000Z"));
      sql.exec(state("instalment_log", 2, "dunning", 1000, "2026-03-11T09:00:00.000Z"));
      const rows = (query: string) => sql.exec(query).toArray();
      const rollups = () =>
        rows("SELECT grain, bucket, outcome, count, amount FROM collection_rollups ORDER BY 1, 2, 3");
      const receivable = () => rows("SELECT at, due_on, amount FROM receivable_changes ORDER BY rowid");
      const rolledUp = rollups();
      // The trigger took the first state out when the second came: one installment, dunning.
      expect(rolledUp.filter((r) => r.count !== 0)).toEqual([
        { grain: "d", bucket: "2026-03-10T00:00", outcome: "dunning", count: 1, amount: 1000 },
        { grain: "m", bucket: "2026-03-01T00:00", outcome: "dunning", count: 1, amount: 1000 },
      ]);
      const log = rows("SELECT * FROM instalment_log ORDER BY seq");
      const latest = rows("SELECT * FROM instalments");
      const owed = receivable();

      apply(RENAME);
      const tables = rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'instal%' ORDER BY name");
      expect(tables).toEqual([{ name: "installment_log" }, { name: "installments" }]);
      expect(rows("SELECT * FROM installment_log ORDER BY seq")).toEqual(log);
      expect(rows("SELECT * FROM installments")).toEqual(latest);
      expect(rollups()).toEqual(rolledUp);
      expect(receivable()).toEqual(owed);
      expect(rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'instal%'")).toEqual([
        { name: "installment_log_apply" },
      ]);

      // A third state, paid late: the dunning state leaves the rollups and the receivable.
      sql.exec(state("installment_log", 3, "late", 0, "2026-03-12T09:00:00.000Z"));
      expect(rollups().filter((r) => r.count !== 0)).toEqual([
        { grain: "d", bucket: "2026-03-10T00:00", outcome: "late", count: 1, amount: 1000 },
        { grain: "m", bucket: "2026-03-01T00:00", outcome: "late", count: 1, amount: 1000 },
      ]);
      expect(receivable().at(-1)).toEqual({ at: "2026-03-12T09:00:00.000Z", due_on: "2026-03-10", amount: -1000 });
      expect(rows("SELECT seq, outcome FROM installments")).toEqual([{ seq: 3, outcome: "late" }]);
    });
  });
});
