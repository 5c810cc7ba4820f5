import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, receivable } from "../../src/domain/collections";
import { checkBooks } from "./books";
import { inCustomerObject, TestCustomer } from "./customer";
import { CAPTURED_AT, PAY_IN_4 } from "./fixtures";
import type { Outcome } from "./scripted-processor";

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

const lateFees = (c: TestCustomer) => c.books.postings().filter((p) => p.event === "late_fee");

/**
 * Leaves a late fee pending on the first purchase's second installment, as an eviction can: the
 * alarm fires two minutes late, the installment's first retry is declined (which plans the fee
 * for now), and the object dies at the processor call of another purchase's charge, which fell
 * due in those two minutes and so runs before the fee. Then the customer pays, and that command
 * dies too once its intent is committed: the alarm finds both the fee and the payment.
 */
async function feeLeftPending(storage: DurableObjectStorage, then: Outcome) {
  // Both first installments at capture, the first purchase's due charge and its retry decline;
  // after the eviction, the customer's payment (sent before the fee waiting for it), then the
  // other purchase's charge, in flight since the eviction and sent again once its grace is over.
  const outcomes: Outcome[] = ["succeeded", "succeeded", "soft_decline", "soft_decline", then, "succeeded"];
  outcomes.push(...Array<Outcome>(20).fill("succeeded"));
  const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, outcomes);
  const first = await c.create(PAY_IN_4);
  await c.advance(1 * DAY + 1 * MINUTE);
  const other = await c.create(PAY_IN_4); // its second installment falls due a minute after the first's retry
  await c.advance(14 * DAY - 2 * MINUTE); // a minute before the retry
  // The retry passes two await points (before and after its processor call); the other charge dies at its first.
  const points: string[] = [];
  c.ctx.faults.at = (point) => {
    points.push(point);
    if (points.length === 3) throw new Error(`evicted at ${point}`);
  };
  await expect(c.alarm(3 * MINUTE)).rejects.toThrow("evicted at due_charge:before");
  c.ctx.faults.at = () => {};
  const pending = storage.sql.exec(
    "SELECT purchase_id, number, type FROM actions WHERE at <= ? ORDER BY at",
    c.now.toISOString(),
  );
  expect(pending.toArray(), "the late fee is still to run").toEqual([
    { purchase_id: first, number: 2, type: "late_fee" },
  ]);
  const inFlight = storage.sql.exec("SELECT purchase_id, number, kind FROM intents WHERE status = 'pending'");
  expect(inFlight.toArray(), "the other charge is in flight, to be sent again").toEqual([
    { purchase_id: other, number: 2, kind: "due_charge" },
  ]);
  expect(lateFees(c)).toEqual([]);
  return { c, purchase: first };
}

describe("a late fee left pending waits for the payment open on its purchase", () => {
  const paying = [
    {
      name: "pay now: the payment is charged and booked at its own amount, and the fee no longer applies",
      pay: (c: TestCustomer, purchase: string) => c.pay(purchase, 2, true),
      amount: 2_500,
      statuses: ["paid", "paid", "scheduled", "scheduled"],
      owed: 5_000,
    },
    {
      name: "payoff: the quote still holds when the processor answers, and nothing throws",
      pay: (c: TestCustomer, purchase: string) => c.payOff(purchase, true),
      amount: 7_500,
      statuses: ["paid", "paid", "paid", "paid"],
      owed: 0,
    },
  ];
  for (const { name, pay, amount, statuses, owed } of paying) {
    it(
      name,
      inCustomerObject(async (storage) => {
        const { c, purchase } = await feeLeftPending(storage, "succeeded");
        const paid = await pay(c, purchase);
        if (!paid.ok) throw new Error(paid.detail);
        expect(paid.intent.amount).toBe(amount);
        await c.advance(5 * MINUTE);
        expect(c.store.intent(paid.intent.id)).toMatchObject({ status: "succeeded", amount });
        expect(c.store.installments(purchase).map((i) => i.status)).toEqual(statuses);
        expect(c.store.installments(purchase)[1]).toMatchObject({ late_fee: 0 });
        expect(lateFees(c)).toEqual([]);
        expect(receivable(c.books.postings(), purchase)).toBe(owed);
        checkBooks(c);
        await c.finish();
        checkBooks(c);
      }),
    );
  }

  it(
    "a declined payment: the fee then lands, exactly once, and the installment is collected with it",
    inCustomerObject(async (storage) => {
      const { c, purchase } = await feeLeftPending(storage, "soft_decline");
      const paid = await c.pay(purchase, 2, true);
      if (!paid.ok) throw new Error(paid.detail);
      await c.advance(5 * MINUTE);
      expect(c.store.intent(paid.intent.id)).toMatchObject({ status: "failed", amount: 2_500 });
      expect(lateFees(c)).toHaveLength(1);
      expect(c.store.installments(purchase)[1]).toMatchObject({ status: "failed", late_fee: 500 });
      expect(c.ctx.schedule.nextAt(), "the alarm is armed for the next retry").toBeDefined();
      checkBooks(c);
      await c.advance(3 * DAY);
      expect(c.store.installments(purchase)[1]).toMatchObject({ status: "paid", late_fee: 500 });
      expect(lateFees(c)).toHaveLength(1);
      checkBooks(c);
      await c.finish();
      expect(lateFees(c)).toHaveLength(1);
      checkBooks(c);
    }),
  );

  it(
    "a payment its command is still sending: the fee waits for it, then lands once the payment is declined",
    inCustomerObject(async (storage) => {
      const { c, purchase } = await feeLeftPending(storage, "soft_decline");
      // The customer's payment is held at the processor until the alarm has run.
      const charge = c.processor.charge.bind(c.processor);
      let answer = () => {};
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      c.processor.charge = async (request) => {
        c.processor.charge = charge;
        await answered;
        return charge(request);
      };
      const paying = c.pay(purchase, 2);
      await c.advance(5 * MINUTE);
      expect(lateFees(c)).toEqual([]);
      expect(c.store.installments(purchase)[1]).toMatchObject({ status: "failed", late_fee: 0 });
      answer();
      const paid = await paying;
      if (!paid.ok) throw new Error(paid.detail);
      expect(c.store.intent(paid.intent.id)).toMatchObject({ status: "failed", amount: 2_500 });
      expect(c.ctx.schedule.nextAt(), "the fee is still due, for the alarm to run").toBeDefined();
      expect((c.ctx.schedule.nextAt() ?? "") <= c.now.toISOString()).toBe(true);
      await c.advance(1 * MINUTE);
      expect(lateFees(c)).toHaveLength(1);
      expect(c.store.installments(purchase)[1]).toMatchObject({ status: "failed", late_fee: 500 });
      checkBooks(c);
      await c.finish();
      expect(lateFees(c)).toHaveLength(1);
      checkBooks(c);
    }),
  );
});
