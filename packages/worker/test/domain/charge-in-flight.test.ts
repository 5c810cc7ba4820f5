import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/domain/collections";
import { checkBooks } from "./books";
import { inCustomerObject, TestCustomer } from "./customer";
import { CAPTURED_AT, PAY_IN_4 } from "./fixtures";

const DAY = 86_400_000;

/** A customer whose next due charge the processor holds until `answer` is called. */
async function dueChargeHeld(storage: DurableObjectStorage) {
  const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["succeeded"]);
  const purchase = await c.create(PAY_IN_4);
  const charge = c.processor.charge.bind(c.processor);
  let answer = () => {};
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  let sent = () => {};
  const reached = new Promise<void>((resolve) => {
    sent = resolve;
  });
  c.processor.charge = async (request) => {
    c.processor.charge = charge;
    sent();
    await answered;
    return charge(request);
  };
  // The alarm reaches installment 2's due date and sends its charge; the processor keeps it waiting.
  const alarm = c.alarm(14 * DAY);
  await reached;
  expect(c.store.installments(purchase)[1]?.status).toBe("processing");
  return { c, purchase, alarm, answer };
}

/**
 * While a due charge is at the processor it is the purchase's one open money movement
 * (intents.ts `busy`): no command and no other run of the schedule starts a second charge or
 * changes the installment it priced, and the outcome is recorded once.
 */
describe("a due charge at the processor", () => {
  it(
    "refuses pay now, payoff, a refund and an extension until it is answered",
    inCustomerObject(async (storage) => {
      const { c, purchase, alarm, answer } = await dueChargeHeld(storage);
      for (const attempt of [
        c.pay(purchase, 2),
        c.payOff(purchase),
        c.refund(purchase, 1_000),
        c.extend(purchase, 3, 7),
      ]) {
        expect(await attempt).toMatchObject({ ok: false, code: "invalid_state" });
      }
      answer();
      await alarm;
      expect(c.store.installments(purchase).map((i) => i.status)).toEqual(["paid", "paid", "scheduled", "scheduled"]);
      expect(await c.pay(purchase, 3)).toMatchObject({ ok: true });
      checkBooks(c);
    }),
  );

  it(
    "is not sent again by another run of the schedule meanwhile, and is recorded once",
    inCustomerObject(async (storage) => {
      const { c, purchase, alarm, answer } = await dueChargeHeld(storage);
      // A test-clock advance (or a re-delivered alarm) while the first run waits for the processor.
      await c.advance(1_000);
      answer();
      await alarm;
      await c.advance(1_000);
      const calls = c.processor.calls().filter((call) => call.request.idempotencyKey === `${purchase}:2:2500`);
      expect(calls).toHaveLength(1);
      expect(c.books.postings().filter((p) => p.event === "installment_paid")).toHaveLength(2);
      expect(c.store.installments(purchase)[1]).toMatchObject({ status: "paid" });
      checkBooks(c);
    }),
  );
});

/**
 * A checkout whose charge times out answers with the purchase (201) and the charge in flight; the
 * outcome is learnt by asking again under the same key, and settles the purchase as an answer at
 * checkout would have: paid, or declined with nothing owed.
 */
describe("a checkout charge that timed out", () => {
  const MINUTE = 60_000;

  it(
    "is asked again under its key, and a success then pays it once",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["timeout", "succeeded"]);
      const purchase = await c.create(PAY_IN_4);
      expect(c.store.installments(purchase)[0]?.status).toBe("processing");
      expect(c.ctx.intents.open(purchase)).toMatchObject({ kind: "due_charge", attempts: 1, failure: "timeout" });
      await c.advance(2 * MINUTE);
      expect(c.store.installments(purchase)[0]?.status).toBe("paid");
      const keys = c.processor.calls().map((call) => call.request.idempotencyKey);
      expect(keys).toEqual([`${purchase}:1:2500`, `${purchase}:1:2500`]);
      checkBooks(c);
    }),
  );

  it(
    "is declined when the processor answers at last: the purchase is declined, nothing owed",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["timeout", "hard_decline"]);
      const purchase = await c.create(PAY_IN_4);
      await c.advance(2 * MINUTE);
      expect(c.purchase(purchase).status).toBe("declined");
      expect(c.store.installments(purchase).every((i) => i.status === "cancelled")).toBe(true);
      expect(c.books.events().map((e) => e.type)).toContain("purchase.declined");
      checkBooks(c);
    }),
  );
});

describe("an action on a purchase whose charge timed out", () => {
  it(
    "waits until the charge is asked again, rather than asking at every alarm",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["succeeded", "timeout"]);
      const purchase = await c.create(PAY_IN_4);
      await c.advance(14 * DAY - 30_000);
      // Paid now, half a minute before its due date: the processor does not answer in time.
      expect(await c.pay(purchase, 2)).toMatchObject({ ok: true });
      const asked = c.ctx.intents.open(purchase)?.next_at;
      expect(asked).toBe(new Date(c.now.getTime() + 60_000).toISOString());
      // The due charge falls due meanwhile; alarms fire (a second apart) and find it.
      for (let i = 0; i < 3; i++) await c.alarm(31_000 / 3);
      const payKey = `${purchase}:2:2500`;
      expect(c.processor.calls().filter((call) => call.request.idempotencyKey === payKey)).toHaveLength(1);
      // The alarm is armed for when the charge is asked again, not at the overdue action.
      expect(c.ctx.schedule.nextAt()).toBe(asked);
      checkBooks(c);
    }),
  );
});
