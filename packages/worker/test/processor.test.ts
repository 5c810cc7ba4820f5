import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChargeRequest, ChargeResult, RefundRequest, RefundResult } from "../src/processor/port";
import { SimulatedProcessor, simulatedId } from "../src/processor/simulated";
import { InMemorySimulatorStore } from "../src/processor/simulator-store";
import { cardForTestToken } from "../src/processor/test-tokens";

const newProcessor = () => new SimulatedProcessor(new InMemorySimulatorStore());

const charge = (key: string, token: string, more: Partial<ChargeRequest> = {}): ChargeRequest => ({
  idempotencyKey: key,
  paymentMethod: { id: `pm_${token}`, token },
  amount: 1000,
  currency: "EUR",
  ...more,
});

const refund = (key: string, chargeId: string, amount: number, currency = "EUR"): RefundRequest => ({
  idempotencyKey: key,
  chargeId,
  amount,
  currency,
});

const soft = (code: string) => ({ status: "declined", retryable: true, code });

describe("simulated processor: tokens", () => {
  it.each([
    ["tok_visa", { status: "succeeded" }],
    ["tok_mastercard", { status: "succeeded" }],
    ["tok_insufficient_funds", soft("insufficient_funds")],
    ["tok_hard_decline", { status: "declined", retryable: false, code: "stolen_card" }],
    ["tok_processor_error", { status: "failed", retryable: true, code: "processor_error" }],
    ["tok_timeout", { status: "failed", retryable: true, code: "timeout" }],
    ["tok_refund_fails", { status: "succeeded" }],
    ["tok_refund_succeed_after_2", { status: "succeeded" }],
    ["tok_succeed_after_0", { status: "declined", retryable: false, code: "invalid_token" }],
    ["tok_amex", { status: "declined", retryable: false, code: "invalid_token" }],
  ])("%s", async (token, expected) => {
    const p = newProcessor();
    // Deterministic: every attempt on the same card behaves the same.
    for (const key of ["k1", "k2"]) {
      const result = await p.charge(charge(key, token));
      expect(result).toMatchObject(expected);
      if (result.status === "succeeded") expect(result.chargeId).toBe(simulatedId("charge", key));
    }
  });

  it("derives charge and refund ids from the key with 64-bit FNV-1a", () => {
    expect(simulatedId("charge", "a")).toBe("ch_sim_af63dc4c8601ec8c");
    expect(simulatedId("refund", "a")).toBe("re_sim_af63dc4c8601ec8c");
  });

  it("tok_succeed_after_N soft-declines the first N attempts per payment method, across keys", async () => {
    const p = newProcessor();
    const results = [];
    for (const key of ["a1", "a2", "a3", "a4", "a5"]) results.push(await p.charge(charge(key, "tok_succeed_after_3")));
    expect(results.map((r) => r.status)).toEqual(["declined", "declined", "declined", "succeeded", "succeeded"]);
    expect(results[0]).toMatchObject(soft("try_again_later"));
    // Another payment method with the same token has its own count.
    const other = { id: "pm_other", token: "tok_succeed_after_3" };
    expect(await p.charge(charge("b1", "", { paymentMethod: other }))).toMatchObject(soft("try_again_later"));
  });

  it("tok_refund_fails refuses every refund finally; other cards' refunds succeed", async () => {
    const p = newProcessor();
    for (const [token, expected] of [
      ["tok_refund_fails", { status: "failed", retryable: false, code: "refund_declined" }],
      ["tok_succeed_after_1", { status: "succeeded" }],
      ["tok_visa", { status: "succeeded" }],
    ] as const) {
      await p.charge(charge(`c_${token}`, token));
      await p.charge(charge(`c_${token}`, token));
      const back = refund(`r_${token}`, simulatedId("charge", `c_${token}`), 1000);
      expect(await p.refund(back)).toMatchObject(expected);
      expect(await p.refund(back)).toMatchObject(expected);
    }
  });

  it("tok_refund_succeed_after_N fails the first N refund attempts per payment method, across charges and keys", async () => {
    const p = newProcessor();
    const card = { id: "pm_flaky", token: "tok_refund_succeed_after_3" };
    const [a, b] = [simulatedId("charge", "a"), simulatedId("charge", "b")];
    await p.charge(charge("a", "", { paymentMethod: card }));
    await p.charge(charge("b", "", { paymentMethod: card }));
    const results = [
      await p.refund(refund("ra", a, 100)),
      await p.refund(refund("rb", b, 100)),
      await p.refund(refund("ra", a, 100)),
      await p.refund(refund("ra", a, 100)),
      await p.refund(refund("rb", b, 100)),
    ];
    expect(results.map((r) => r.status)).toEqual(["failed", "failed", "failed", "succeeded", "succeeded"]);
    expect(results[0]).toMatchObject({ retryable: true, code: "processor_error" });
    // Another payment method with the same token has its own count.
    await p.charge(charge("c", "", { paymentMethod: { ...card, id: "pm_other" } }));
    expect(await p.refund(refund("rc", simulatedId("charge", "c"), 100))).toMatchObject({ status: "failed" });
  });

  it.each([
    ["tok_refund_fails", { brand: "visa", last4: "5126" }],
    ["tok_refund_succeed_after_4", { brand: "visa", last4: "5104" }],
    ["tok_succeed_after_4", { brand: "visa", last4: "0004" }],
    ["tok_refund_succeed_after_0", undefined],
  ])("%s stands for the card %o", (token, card) => {
    expect(cardForTestToken(token)).toEqual(card);
  });

  it("refuses malformed amounts and currencies without recording anything", async () => {
    const p = newProcessor();
    for (const bad of [{ amount: 0 }, { amount: 1.5 }, { amount: -5 }, { currency: "eur" }, { idempotencyKey: "" }]) {
      await expect(p.charge(charge("k", "tok_visa", bad))).rejects.toThrow(RangeError);
    }
    await expect(p.refund(refund("r", "ch_x", 0))).rejects.toThrow(RangeError);
    expect(p.calls()).toEqual([]);
  });
});

describe("simulated processor: idempotency", () => {
  it("replays a success without a new attempt", async () => {
    const p = newProcessor();
    const first = await p.charge(charge("k1", "tok_visa"));
    expect(await p.charge(charge("k1", "tok_visa", { description: "relabelled" }))).toEqual(first);
    expect(p.calls().map((c) => c.idempotency)).toEqual(["first", "replay"]);
  });

  it("lets one key be retried after declines, as an installment's dunning does, and take money once", async () => {
    const p = newProcessor();
    const installment = charge("pur_1:1", "tok_succeed_after_2");
    expect(await p.charge(installment)).toMatchObject(soft("try_again_later"));
    expect(await p.charge(installment)).toMatchObject(soft("try_again_later"));
    const paid = await p.charge(installment);
    expect(paid).toEqual({ status: "succeeded", chargeId: simulatedId("charge", "pur_1:1") });
    // An alarm delivered again after the success moves no more money.
    expect(await p.charge(installment)).toEqual(paid);
    expect(p.calls().map((c) => c.idempotency)).toEqual(["first", "retry", "retry", "replay"]);

    const stolen = charge("pur_2:1", "tok_hard_decline");
    const refused = await p.charge(stolen);
    expect(await p.charge(stolen)).toEqual(refused);
  });

  it("refuses a key reused for a different request and keeps the original result", async () => {
    const p = newProcessor();
    const first = await p.charge(charge("k", "tok_visa"));
    const mismatch = { status: "failed", retryable: false, code: "idempotency_mismatch" };
    expect(await p.charge(charge("k", "tok_visa", { amount: 999 }))).toMatchObject(mismatch);
    expect(await p.charge(charge("k", "tok_mastercard"))).toMatchObject(mismatch);
    expect(await p.charge(charge("k", "tok_visa", { currency: "USD" }))).toMatchObject(mismatch);
    expect(await p.refund(refund("k", simulatedId("charge", "k"), 1))).toMatchObject(mismatch);
    expect(await p.charge(charge("k", "tok_visa"))).toEqual(first);
    expect(p.calls().filter((c) => c.result.status === "succeeded")).toHaveLength(2);
  });

  it("hands out copies: mutating a result or the log does not change history", async () => {
    const p = newProcessor();
    const first = (await p.charge(charge("k", "tok_visa"))) as { chargeId: string };
    first.chargeId = "ch_forged";
    (p.calls() as unknown[]).length = 0;
    expect(await p.charge(charge("k", "tok_visa"))).toEqual({
      status: "succeeded",
      chargeId: simulatedId("charge", "k"),
    });
    expect(p.calls()).toHaveLength(2);
  });
});

describe("simulated processor: refunds", () => {
  it("refunds partially, then the rest, then refuses more", async () => {
    const p = newProcessor();
    const { chargeId } = (await p.charge(charge("c", "tok_visa"))) as { chargeId: string };
    expect(await p.refund(refund("r1", chargeId, 300))).toEqual({
      status: "succeeded",
      refundId: simulatedId("refund", "r1"),
    });
    expect(await p.refund(refund("r2", chargeId, 701))).toMatchObject({
      code: "amount_exceeds_charge",
      retryable: false,
    });
    expect(await p.refund(refund("r3", chargeId, 700))).toMatchObject({ status: "succeeded" });
    expect(await p.refund(refund("r4", chargeId, 1))).toMatchObject({
      code: "amount_exceeds_charge",
      retryable: false,
    });
  });

  it("refunds in full at once and refuses over-refunds outright", async () => {
    const p = newProcessor();
    const { chargeId } = (await p.charge(charge("c", "tok_visa", { amount: 5000 }))) as { chargeId: string };
    expect(await p.refund(refund("over", chargeId, 5001))).toMatchObject({ code: "amount_exceeds_charge" });
    expect(await p.refund(refund("full", chargeId, 5000))).toMatchObject({ status: "succeeded" });
  });

  it("replays a refund instead of refunding twice", async () => {
    const p = newProcessor();
    const { chargeId } = (await p.charge(charge("c", "tok_visa"))) as { chargeId: string };
    const first = await p.refund(refund("r", chargeId, 1000));
    expect(await p.refund(refund("r", chargeId, 1000))).toEqual(first);
    expect(await p.refund(refund("r", chargeId, 10))).toMatchObject({ code: "idempotency_mismatch" });
  });

  it("refuses unknown charges, declined charges and other currencies", async () => {
    const p = newProcessor();
    await p.charge(charge("declined", "tok_insufficient_funds"));
    const { chargeId } = (await p.charge(charge("c", "tok_visa"))) as { chargeId: string };
    expect(await p.refund(refund("r1", "ch_sim_nope", 1))).toMatchObject({
      code: "charge_not_found",
      retryable: false,
    });
    expect(await p.refund(refund("r2", simulatedId("charge", "declined"), 1))).toMatchObject({
      code: "charge_not_found",
    });
    expect(await p.refund(refund("r3", chargeId, 1, "JPY"))).toMatchObject({ code: "currency_mismatch" });
  });
});

const TOKENS = [
  "tok_visa",
  "tok_mastercard",
  "tok_insufficient_funds",
  "tok_hard_decline",
  "tok_processor_error",
  "tok_timeout",
  "tok_succeed_after_2",
  "tok_unknown",
];
const CHARGE_KEYS = fc.constantFrom("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8");
// Mostly refund keys of their own, plus one charge key to try reusing a key across kinds.
const REFUND_KEYS = fc.constantFrom("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "k0");
const CURRENCY = fc.constantFrom("EUR", "EUR", "JPY");
const OP = fc.oneof(
  fc.record({
    kind: fc.constant("charge" as const),
    key: CHARGE_KEYS,
    pm: fc.nat({ max: TOKENS.length - 1 }),
    amount: fc.integer({ min: 1, max: 1000 }),
    currency: CURRENCY,
  }),
  fc.record({
    kind: fc.constant("refund" as const),
    key: REFUND_KEYS,
    charge: fc.nat(),
    amount: fc.integer({ min: 1, max: 500 }),
    currency: CURRENCY,
  }),
  // An exact repeat of an earlier call, as a retry or an alarm re-delivery sends it.
  fc.record({ kind: fc.constant("repeat" as const), index: fc.nat() }),
);
// Lengths spread over the whole range: the default size keeps arrays too short to over-refund.
const OPS = fc.array(OP, { maxLength: 40, size: "max" });
type Op = typeof OP extends fc.Arbitrary<infer T> ? T : never;
type Call = { kind: "charge"; req: ChargeRequest } | { kind: "refund"; req: RefundRequest };
type Done =
  | { kind: "charge"; req: ChargeRequest; result: ChargeResult }
  | { kind: "refund"; req: RefundRequest; result: RefundResult };

const send = async (p: SimulatedProcessor, call: Call): Promise<Done> =>
  call.kind === "charge"
    ? { ...call, result: await p.charge(call.req) }
    : { ...call, result: await p.refund(call.req) };

/** The call an operation makes: a refund aims at a charge that succeeded earlier, or at one that never existed. */
function callFor(op: Op, charged: string[], done: Done[]): Call | undefined {
  if (op.kind === "repeat") return done[op.index % Math.max(done.length, 1)];
  if (op.kind === "refund") {
    const chargeId = charged[op.charge % (charged.length + 1)] ?? "ch_sim_missing";
    return { kind: "refund", req: refund(op.key, chargeId, op.amount, op.currency) };
  }
  const paymentMethod = { id: `pm_${op.pm}`, token: TOKENS[op.pm] ?? "tok_visa" };
  return { kind: "charge", req: { idempotencyKey: op.key, paymentMethod, amount: op.amount, currency: op.currency } };
}

async function run(ops: Op[]) {
  const p = newProcessor();
  const charged: string[] = [];
  const done: Done[] = [];
  for (const op of ops) {
    const call = callFor(op, charged, done);
    if (!call) continue;
    const d = await send(p, call);
    if (d.kind === "charge" && d.result.status === "succeeded" && !charged.includes(d.result.chargeId)) {
      charged.push(d.result.chargeId);
    }
    done.push(d);
  }
  return { p, done };
}

/** Groups values under a key, in order. */
function groupBy<T>(items: T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

describe("simulated processor: properties", () => {
  it("moves at most one charge's worth of money per idempotency key", async () => {
    await fc.assert(
      fc.asyncProperty(OPS, async (ops) => {
        const { p, done } = await run(ops);
        const successes = done.flatMap((d) => (d.kind === "charge" && d.result.status === "succeeded" ? [d] : []));
        for (const [, same] of groupBy(successes, (d) => d.req.idempotencyKey)) {
          // Every success under one key is the same charge, of one amount on one card.
          expect(new Set(same.map((d) => JSON.stringify([d.result, d.req.amount, d.req.paymentMethod]))).size).toBe(1);
        }
        for (const [, keys] of groupBy(successes, (d) => (d.result as { chargeId: string }).chargeId)) {
          expect(new Set(keys.map((d) => d.req.idempotencyKey)).size).toBe(1);
        }
        for (const [, firsts] of groupBy(
          p.calls().filter((c) => c.idempotency === "first"),
          (c) => c.request.idempotencyKey,
        )) {
          expect(firsts).toHaveLength(1);
        }
        // No attempt follows a success under the same key.
        for (const [, attempts] of groupBy(
          p.calls().filter((c) => c.kind === "charge" && (c.idempotency === "first" || c.idempotency === "retry")),
          (c) => c.request.idempotencyKey,
        )) {
          expect(attempts.slice(0, -1).every((c) => c.result.status !== "succeeded")).toBe(true);
        }
      }),
    );
  });

  it("never refunds more than a charge's amount", async () => {
    await fc.assert(
      fc.asyncProperty(OPS, async (ops) => {
        const { p, done } = await run(ops);
        const charges = new Map<string, ChargeRequest>();
        const refunds = new Map<string, RefundRequest>();
        for (const d of done) {
          if (d.kind === "charge" && d.result.status === "succeeded") charges.set(d.result.chargeId, d.req);
          if (d.kind === "refund" && d.result.status === "succeeded") refunds.set(d.result.refundId, d.req);
        }
        for (const [chargeId, paid] of charges) {
          const back = [...refunds.values()].filter((r) => r.chargeId === chargeId);
          expect(back.every((r) => r.currency === paid.currency)).toBe(true);
          expect(back.reduce((sum, r) => sum + r.amount, 0)).toBeLessThanOrEqual(paid.amount);
        }
        expect([...refunds.values()].every((r) => charges.has(r.chargeId))).toBe(true);
        // The log is where money moves: only attempts count, so replays must not add to it.
        for (const [chargeId, paid] of charges) {
          const moved = p
            .calls(chargeId)
            .filter((c) => c.kind === "refund" && c.idempotency === "first" && c.result.status === "succeeded")
            .reduce((sum, c) => sum + c.request.amount, 0);
          expect(moved).toBeLessThanOrEqual(paid.amount);
        }
      }),
    );
  });

  it("answers refunds and successful charges again with the identical result", async () => {
    await fc.assert(
      fc.asyncProperty(OPS, async (ops) => {
        const { p, done } = await run(ops);
        for (const d of done) {
          const again = await send(p, d);
          if (d.kind === "charge" && d.result.status !== "succeeded") {
            // Sent again, an unsuccessful charge is a new attempt under its key: it may now succeed,
            // or fail the same way (the message may count attempts).
            if (again.result.status === "succeeded") continue;
            const { message: _m1, ...was } = d.result;
            const { message: _m2, ...now } = again.result;
            expect(now).toEqual(was);
            continue;
          }
          expect(again).toEqual(d);
        }
        expect(p.calls()).toHaveLength(2 * done.length);
      }),
    );
  });
});
