import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { call, DAY } from "../helpers";

/** One thing a client or the runtime does to a customer; `purchase` picks one of the run's purchases. */
export type Operation =
  | { kind: "pay"; purchase: number; number: number }
  | { kind: "payoff"; purchase: number }
  | { kind: "refund"; purchase: number; amount: number | undefined }
  | { kind: "extend"; purchase: number; number: number; days: number }
  | { kind: "advance_clock"; hours: number }
  | { kind: "alarm" }
  /** A client retrying one of the run's earlier requests (or one still in flight) with its key. */
  | { kind: "retry"; pick: number };

const purchase = fc.nat(1);
const number = fc.integer({ min: 1, max: 4 });

export const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("pay" as const), purchase, number }),
  fc.record({ kind: fc.constant("payoff" as const), purchase }),
  fc.record({
    kind: fc.constant("refund" as const),
    purchase,
    amount: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("extend" as const), purchase, number, days: fc.integer({ min: 1, max: 14 }) }),
  // Far enough, now and then, to pass a due date, a dunning retry or a late fee's grace.
  fc.record({ kind: fc.constant("advance_clock" as const), hours: fc.integer({ min: 1, max: 24 * 16 }) }),
  fc.constant({ kind: "alarm" as const }),
  fc.record({ kind: fc.constant("retry" as const), pick: fc.nat() }),
);

/** Runs the customer's schedule: what runs due charges, dunning retries and late fees. */

/** Cards whose charges succeed, fail for a while, fail for good, or leave the outcome unknown. */
export const cardArb = fc.constantFrom(
  "tok_visa",
  "tok_visa",
  "tok_succeed_after_2",
  "tok_insufficient_funds",
  "tok_timeout",
  "tok_refund_fails",
  "tok_refund_succeed_after_1",
);

/**
 * Plans that owe something soon: four fortnightly parts (the first charged at checkout), or all of
 * it in 2 days. On real time a checkout's charge runs beside the alarm it arms, which once booked
 * the first part twice, before due charges were intents.
 */
export const planArb = fc.constantFrom({ type: "pay_in_n" }, { type: "pay_later", days: 2 });

/** A command as a client sends it, under an Idempotency-Key, so that it can send it again. */
interface Sent {
  path: string;
  body: unknown;
  idempotencyKey: string;
}

/**
 * One customer's run: its key, customer, object, purchases, and the clock the run moves on: a
 * test clock from the start, or real time until an advance freezes it.
 */
export interface Run {
  key: string;
  customer: string;
  stub: DurableObjectStub;
  purchases: string[];
  /** Where the last advance asked the clock to go (ms): the next asks a little later. */
  clock: number;
  /** Every command sent so far, for retries to pick from. */
  sent: Sent[];
}

/** What an operation answered: an HTTP status (the alarm: 1 if it ran, 0 if none was set). */
export interface Outcome {
  op: string;
  status: number;
  body?: unknown;
}

type Command = Exclude<Operation, { kind: "alarm" | "retry" }>;

function commandFor(run: Run, op: Command): Omit<Sent, "idempotencyKey"> {
  if (op.kind === "advance_clock") {
    run.clock += op.hours * (DAY / 24);
    return {
      path: `/v1/test_helpers/customers/${run.customer}/advance_clock`,
      body: { to: new Date(run.clock).toISOString() },
    };
  }
  const p = `/v1/purchases/${run.purchases[op.purchase % run.purchases.length]}`;
  if (op.kind === "pay") return { path: `${p}/installments/${op.number}/pay`, body: undefined };
  if (op.kind === "payoff") return { path: `${p}/payoff`, body: undefined };
  if (op.kind === "extend") return { path: `${p}/installments/${op.number}/extend`, body: { days: op.days } };
  return { path: `${p}/refunds`, body: op.amount === undefined ? {} : { amount: op.amount } };
}

/**
 * Decides what an operation sends (in batch order, so a retry may pick a request of its own batch,
 * still in flight) and returns the call that sends it.
 */
export function prepare(run: Run, op: Operation): () => Promise<Outcome> {
  if (op.kind === "alarm") {
    return async () => {
      await runInDurableObject(run.stub, async (_instance, state) => {
        // Time passing, for a customer on real time: its next action falls due now.
        state.storage.sql.exec(
          `UPDATE actions SET at = ? WHERE NOT EXISTS (SELECT 1 FROM test_clock)
           AND rowid IN (SELECT rowid FROM actions ORDER BY at LIMIT 1)`,
          new Date(Date.now() - 1000).toISOString(),
        );
        // Later than now, so that only this run starts it.
        await state.storage.setAlarm(Date.now() + 60_000);
      });
      return { op: "alarm", status: (await runDurableObjectAlarm(run.stub)) ? 1 : 0 };
    };
  }
  let sent = op.kind === "retry" ? run.sent[op.pick % Math.max(1, run.sent.length)] : undefined;
  if (!sent) {
    // A retry with nothing sent before it is a client's first request: paying the first installment.
    const command = commandFor(run, op.kind === "retry" ? { kind: "pay", purchase: 0, number: 1 } : op);
    sent = { ...command, idempotencyKey: `${run.customer}-${run.sent.length}` };
    run.sent.push(sent);
  }
  const { path, body, idempotencyKey } = sent;
  return async () => {
    const headers = { "Idempotency-Key": idempotencyKey };
    const res = await call(path, { key: run.key, method: "POST", body, headers });
    return { op: `${op.kind} ${path} [${idempotencyKey}]`, status: res.status, body: res.body };
  };
}
