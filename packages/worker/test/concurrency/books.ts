import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { expect } from "vitest";
import type { SimulatorCall } from "../../src/processor/simulator-store";
import { call } from "../helpers";

/**
 * What must hold of one customer's books between concurrent batches, whatever ran in what order:
 * the processor's own log against the object's ledger and each purchase's answer.
 */
export async function expectConsistentBooks(key: string, stub: DurableObjectStub, purchaseIds: readonly string[]) {
  const seen = await runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    return {
      calls: sql
        .exec<{ call: string }>("SELECT call FROM processor_calls WHERE attempt = 1 ORDER BY seq")
        .toArray()
        .map((r) => JSON.parse(r.call) as SimulatorCall),
      currencies: sql
        .exec<{ currency: string; total: number }>(
          "SELECT currency, SUM(amount) AS total FROM ledger GROUP BY currency",
        )
        .toArray(),
      accounts: sql
        .exec<{ purchase_id: string; account: string; total: number }>(
          "SELECT purchase_id, account, SUM(amount) AS total FROM ledger GROUP BY purchase_id, account",
        )
        .toArray(),
    };
  });
  for (const { currency, total } of seen.currencies) expect(total, `the ledger balances in ${currency}`).toBe(0);
  const balance = (purchase: string, account: string) =>
    seen.accounts.find((a) => a.purchase_id === purchase && a.account === account)?.total ?? 0;

  const charges = seen.calls.filter(
    (c): c is Extract<SimulatorCall, { kind: "charge" }> => c.kind === "charge" && c.result.status === "succeeded",
  );
  const refunds = seen.calls.filter(
    (c): c is Extract<SimulatorCall, { kind: "refund" }> => c.kind === "refund" && c.result.status === "succeeded",
  );
  const keys = (cs: readonly SimulatorCall[]) => cs.map((c) => c.request.idempotencyKey);
  expect(keys(charges), "no processor key took money twice").toEqual([...new Set(keys(charges))]);
  expect(keys(refunds), "no payout paid twice").toEqual([...new Set(keys(refunds))]);
  const perInstallment = charges.map((c) => chargedFor(c.request.idempotencyKey));
  expect(perInstallment, "at most one successful charge per installment (and one payoff)").toEqual([
    ...new Set(perInstallment),
  ]);

  // The cash the processor moved for a purchase is the cash its ledger says it moved.
  const purchaseOfCharge = new Map(
    charges.map((c) => [c.result.status === "succeeded" ? c.result.chargeId : "", purchaseOf(c)]),
  );
  for (const id of purchaseIds) {
    const taken = charges.filter((c) => purchaseOf(c) === id).reduce((s, c) => s + c.request.amount, 0);
    const paidBack = refunds
      .filter((r) => purchaseOfCharge.get(r.request.chargeId) === id)
      .reduce((s, r) => s + r.request.amount, 0);
    expect(balance(id, "processor_clearing"), `${id}: the processor's net cash is the ledger's`).toBe(taken - paidBack);
    const answer = await call<Purchase>(`/v1/purchases/${id}`, { key });
    expect(answer.status).toBe(200);
    expect(balance(id, "customer_receivable"), `${id}: the receivable is what it still owes`).toBe(
      answer.body.amount_outstanding,
    );
  }
}

/** A charge's processor key begins with its purchase's id (`<purchase>:…`). */
const purchaseOf = (c: Extract<SimulatorCall, { kind: "charge" }>) => c.request.idempotencyKey.split(":")[0];

/**
 * What a charge pays: `<purchase>:<installment>` or `<purchase>:payoff`, from keys shaped
 * `<purchase>:<installment or payoff>:<amount>`, whose amount changes with a late fee. A key of
 * another shape stands for itself.
 */
function chargedFor(key: string): string {
  const match = /^(.+:(?:\d+|payoff)):\d+$/.exec(key);
  return match?.[1] ?? key;
}

/**
 * Waits out what the batch left running: an alarm the runtime fired by itself (a command re-armed
 * it at an action the test had made due) may still be waiting on the processor. Runs such an alarm
 * itself, and returns once the processor's log and the ledger stay still across a processor round
 * trip's worth of time.
 */
export async function settled(stub: DurableObjectStub): Promise<void> {
  const snapshot = () =>
    runInDurableObject(stub, async (_instance, state) => {
      const sql = state.storage.sql;
      const count = (table: string) => sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;
      const alarm = await state.storage.getAlarm();
      return { calls: count("processor_calls"), ledger: count("ledger"), due: alarm !== null && alarm <= Date.now() };
    });
  let last = await snapshot();
  for (let i = 0; i < 100; i++) {
    if (last.due) await runDurableObjectAlarm(stub);
    await scheduler.wait(25);
    const now = await snapshot();
    if (!now.due && now.calls === last.calls && now.ledger === last.ledger) return;
    last = now;
  }
  throw new Error("the customer's object never settled");
}
