import { env, runInDurableObject } from "cloudflare:test";
import { buildSchedule, PlanSchema } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feePosting } from "../../src/domain/collections";
import { AfterCommit } from "../../src/objects/customer/after-commit";
import type { Action, IntentRow, RefundRow, Row } from "../../src/objects/customer/collections-store";
import { Outbox } from "../../src/objects/customer/outbox";
import { newPurchaseRows } from "../../src/objects/customer/rows";
import { CustomerStore } from "../../src/objects/customer/store";
import { MemoryStore } from "./memory-store";

// Few values of each, so that operations collide: equal times, re-planned actions, reused ids.
const PURCHASES = ["pur_a", "pur_b"];
const TIMES = ["2026-03-01T09:00:00.000Z", "2026-03-02T09:00:00.000Z", "2026-03-03T09:00:00.000Z"];
const REFUNDS = ["re_1", "re_2"];
const INTENTS = ["re_1:1", "re_1:2", "re_2:1", "pay_1"];
const STATUSES = ["pending", "succeeded", "failed"] as const;
const NOW = new Date(TIMES[0] ?? "");

const purchaseArb = fc.constantFrom(...PURCHASES);
const timeArb = fc.constantFrom(...TIMES);
const actionArb: fc.Arbitrary<Action> = fc.record({
  purchase_id: purchaseArb,
  number: fc.integer({ min: 1, max: 2 }),
  type: fc.constantFrom("charge", "reminder", "late_fee"),
  at: timeArb,
});

/** One write in five is rolled back. */
const rollbackArb = fc.nat(4).map((n) => n === 0);

const opArb = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("putAction" as const), action: actionArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("dropAction" as const), action: actionArb }), weight: 3 },
  fc.record({
    op: fc.constant("dropActions" as const),
    purchase: purchaseArb,
    number: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  }),
  {
    arbitrary: fc.record({
      op: fc.constant("saveInstallment" as const),
      // Installment 4 does not exist: saving it changes nothing.
      row: fc.record({
        purchase_id: purchaseArb,
        number: fc.constantFrom(1, 2, 4),
        amount: fc.integer({ min: 1, max: 5_000 }),
        status: fc.constantFrom("scheduled", "failed", "paid", "refunded"),
        due_at: timeArb,
        charge_id: fc.constantFrom(null, "ch_1", "ch_2"),
      }),
    }),
    weight: 3,
  },
  fc.record({ op: fc.constant("setPurchaseStatus" as const), purchase: purchaseArb }),
  fc.record({ op: fc.constant("touch" as const), purchase: purchaseArb }),
  fc.record({ op: fc.constant("post" as const), purchase: purchaseArb, fee: fc.integer({ min: 1, max: 900 }) }),
  fc.record({ op: fc.constant("event" as const), purchase: purchaseArb, at: timeArb }),
  fc.record({ op: fc.constant("insertRefund" as const), id: fc.constantFrom(...REFUNDS), purchase: purchaseArb }),
  fc.record({
    op: fc.constant("updateRefund" as const),
    id: fc.constantFrom(...REFUNDS),
    status: fc.constantFrom(...STATUSES),
    cash: fc.nat(900),
  }),
  fc.record({
    op: fc.constant("insertIntent" as const),
    id: fc.constantFrom(...INTENTS),
    purchase: purchaseArb,
    next_at: fc.option(timeArb),
  }),
  fc.record({
    op: fc.constant("updateIntent" as const),
    id: fc.constantFrom(...INTENTS),
    status: fc.constantFrom(...STATUSES),
    next_at: fc.option(timeArb),
  }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

type Store = MemoryStore | CustomerStore;

function write(store: Store, op: Op): void {
  switch (op.op) {
    case "putAction":
    case "dropAction":
      store[op.op](op.action);
      return;
    case "dropActions":
      store.dropActions(op.purchase, op.number);
      return;
    case "saveInstallment": {
      const money = { principal: op.row.amount, interest: 0, late_fee: 0, extension_fees: 0, cash_refunded: 0 };
      const row: Row = { ...op.row, ...money, attempts_failed: 1, extensions: 0 };
      store.saveInstallment(row, NOW.toISOString());
      return;
    }
    case "setPurchaseStatus":
      store.setPurchaseStatus(op.purchase, "delinquent");
      return;
    case "touch":
      store.touch(op.purchase);
      return;
    case "post": {
      const purchase = { id: op.purchase, currency: "EUR", amount: 1, interest_total: 0, total: 1 };
      store.post(feePosting(purchase, "late_fee", op.fee), NOW.toISOString());
      return;
    }
    case "event":
      store.event("installment.reminder", op.purchase, 1, { at: op.at }, op.at);
      return;
    case "insertRefund": {
      const row: RefundRow = {
        id: op.id,
        purchase_id: op.purchase,
        amount: 100,
        cash_returned: 0,
        status: "pending",
        reason: null,
        created_at: NOW.toISOString(),
      };
      store.insertRefund(row);
      return;
    }
    case "updateRefund":
      store.updateRefund(op.id, op.status, op.cash);
      return;
    case "insertIntent": {
      const refund = op.id.startsWith("re_") ? (op.id.split(":")[0] ?? null) : null;
      const row: IntentRow = {
        id: op.id,
        kind: refund ? "payout" : "pay_now",
        purchase_id: op.purchase,
        number: 1,
        refund_id: refund,
        charge_id: null,
        processor_key: op.id,
        amount: 100,
        status: "pending",
        attempts: 0,
        next_at: op.next_at,
        failure: null,
        created_at: NOW.toISOString(),
      };
      store.insertIntent(row);
      return;
    }
    case "updateIntent":
      store.updateIntent({ id: op.id, status: op.status, attempts: 1, next_at: op.next_at, failure: "x" });
      return;
  }
}

/** Runs the write in a transaction, undone when `rollback`; says whether it threw (a constraint, or the rollback). */
function apply(store: Store, op: Op, rollback: boolean): boolean {
  try {
    store.transact(() => {
      write(store, op);
      if (rollback) throw new Error("rolled back");
    });
    return false;
  } catch {
    return true;
  }
}

/** Everything `Collections` can read back. */
function reads(store: Store) {
  return {
    purchases: PURCHASES.map((id) => store.purchase(id)),
    installments: PURCHASES.map((id) => store.installments(id)),
    nextAction: TIMES.map((t) => store.nextAction(t)),
    nextActionAt: store.nextActionAt(),
    refunds: REFUNDS.map((id) => store.refund(id)),
    intents: INTENTS.map((id) => store.intent(id)),
    intentsOf: REFUNDS.map((id) => store.intentsOf(id)),
    // SQL gives these in no order (the query plan's), and `Collections` needs none.
    pending: PURCHASES.map((id) => store.pendingIntents(id).sort((a, b) => a.id.localeCompare(b.id))),
    due: TIMES.map((t) => store.dueIntents(t)),
    nextIntentAt: store.nextIntentAt(),
    token: store.paymentMethodToken("pm_card"),
  };
}

/** Every action left, in the order the alarm would run them. */
function drain(store: Store): Action[] {
  const ran: Action[] = [];
  store.transact(() => {
    for (let next = store.nextAction("9999"); next; next = store.nextAction("9999")) {
      ran.push(next);
      store.dropAction(next);
    }
  });
  return ran;
}

function seed(store: Store): void {
  store.transact(() => {
    store.insertPaymentMethod({ id: "pm_card", token: "tok_visa", brand: "visa", last4: "4242", created_at: "" });
    for (const id of PURCHASES) {
      const params = { customer: "cus_1", amount: 3_000, currency: "EUR", capture: "automatic" as const };
      const plan = PlanSchema.parse({ type: "pay_in_n", n: 3 });
      const schedule = buildSchedule({ ...params, plan, anchor: NOW });
      const { row, installments } = newPurchaseRows(
        id,
        { ...params, plan, payment_method: "pm_card" },
        schedule,
        NOW,
        "",
      );
      store.insertPurchase(row, installments);
    }
  });
}

describe("MemoryStore, the domain suite's store, against the customer object's SQLite", () => {
  it("answers every read the same after any sequence of writes, committed or rolled back", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(opArb, rollbackArb), { minLength: 20, maxLength: 60 }), async (ops) => {
        const stub = env.CUSTOMERS.get(env.CUSTOMERS.newUniqueId());
        await runInDurableObject(stub, (_instance, state) => {
          const sql = new CustomerStore(state.storage, new Outbox(state.storage.sql, () => true), new AfterCommit());
          sql.migrate();
          const memory = new MemoryStore();
          seed(sql);
          seed(memory);
          for (const [op, rollback] of ops) {
            expect(apply(memory, op, rollback)).toBe(apply(sql, op, rollback));
            expect(reads(memory)).toEqual(reads(sql));
          }
          expect(drain(memory)).toEqual(drain(sql));
          const rows = (query: string) => state.storage.sql.exec(query).toArray();
          expect(memory.ledger()).toEqual(rows("SELECT * FROM ledger ORDER BY id").map(({ id: _, ...line }) => line));
          // The public id and the object snapshot are the object's own concerns (events.test.ts), not the domain's.
          const events = rows("SELECT type, purchase_id, number, data, created_at FROM events ORDER BY id");
          expect(memory.events()).toEqual(events);
        });
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it("refuses a write outside a transaction", () => {
    expect(() => new MemoryStore().touch("pur_a")).toThrow("outside transact");
  });
});
