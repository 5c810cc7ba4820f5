import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChargeRequest, ChargeResult, RefundRequest, RefundResult } from "../src/processor/port";
import { type ContractSubject, chargeOf, contractKit, refundOf } from "./processor-contract-kit";

// Each run calls the processor a few dozen times: enough cases, and still quick against a sandbox.
const RUNS = { numRuns: 50 };

const isMismatch = (r: ChargeResult | RefundResult) => r.status === "failed" && r.code === "idempotency_mismatch";
const succeeded = <R extends ChargeResult | RefundResult>(r: R): r is Extract<R, { status: "succeeded" }> =>
  r.status === "succeeded";
const sameCharge = (a: ChargeRequest, b: ChargeRequest) =>
  a.amount === b.amount && a.currency === b.currency && a.paymentMethod.id === b.paymentMethod.id;
const sameRefund = (a: RefundRequest, b: RefundRequest) =>
  a.chargeId === b.chargeId && a.amount === b.amount && a.currency === b.currency;

/**
 * What any sequence of calls under one key must show: the first request names the key and every
 * other request is a mismatch; there is at most one success, and once there is, each call of the
 * key's request replays it.
 */
function expectOneKey<Req, Res extends ChargeResult | RefundResult>(
  calls: { request: Req; result: Res }[],
  same: (a: Req, b: Req) => boolean,
): Extract<Res, { status: "succeeded" }> | undefined {
  const first = calls[0]?.request;
  let success: Extract<Res, { status: "succeeded" }> | undefined;
  for (const { request, result } of calls) {
    const ours = first !== undefined && same(request, first);
    expect(isMismatch(result), JSON.stringify({ request, result })).toBe(!ours);
    if (ours && success) expect(result).toEqual(success);
    if (succeeded(result)) success ??= result;
  }
  return success;
}

/** The contract's rules for any sequence of calls, as properties; see processor-contract.ts. */
export function describeContractProperties(name: string, { make, cards }: ContractSubject) {
  const { key, charged, expectLeft } = contractKit();

  describe(`${name}: processor port contract, any sequence`, () => {
    it("under one charge key: one request, at most one success, and its money taken once", async () => {
      const call = fc.record({ card: fc.nat({ max: 3 }), amount: fc.constantFrom(500, 1000) });
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (sequence) => {
          const p = make();
          const k = key("one");
          const known = [
            cards.succeeds(),
            cards.succeeds(),
            cards.softDecline(),
            cards.succeedsAfterSoftDeclines.card(),
          ];
          const calls = [];
          for (const c of sequence) {
            const request = chargeOf(k, known[c.card] ?? cards.succeeds(), { amount: c.amount });
            calls.push({ request, result: await p.charge(request) });
          }
          const success = expectOneKey(calls, sameCharge);
          if (success) await expectLeft(p, success.chargeId, calls[0]?.request.amount ?? 0);
        }),
        RUNS,
      );
    });

    it("under one refund key: one request, at most one payout, and the charge refunded by it alone", async () => {
      const call = fc.record({
        amount: fc.constantFrom(300, 600, 1001),
        currency: fc.constantFrom("EUR", "EUR", "JPY"),
      });
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.array(call, { minLength: 1, maxLength: 10 }), async (flaky, sequence) => {
          const p = make();
          const chargeId = await charged(p, flaky ? cards.refundFailsThenSucceeds.card() : cards.succeeds());
          const k = key("one");
          const calls = [];
          for (const c of sequence) {
            const request = refundOf(k, chargeId, c.amount, c.currency);
            calls.push({ request, result: await p.refund(request) });
          }
          const success = expectOneKey(calls, sameRefund);
          await expectLeft(p, chargeId, 1000 - (success ? (calls[0]?.request.amount ?? 0) : 0));
        }),
        RUNS,
      );
    });

    it("across keys, repeated in any order: each success belongs to one key, and no charge is over-refunded", async () => {
      const op = fc.oneof(
        fc.record({
          kind: fc.constant("charge" as const),
          key: fc.nat({ max: 3 }),
          amount: fc.integer({ min: 1, max: 1000 }),
        }),
        // Refund keys overlap the charge keys, to reuse a key across kinds.
        fc.record({
          kind: fc.constant("refund" as const),
          key: fc.nat({ max: 6 }),
          charge: fc.nat(),
          amount: fc.integer({ min: 1, max: 500 }),
        }),
        // An exact repeat of an earlier call, as a retry or an alarm re-delivery sends it.
        fc.record({ kind: fc.constant("repeat" as const), index: fc.nat() }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 30, size: "max" }), async (ops) => {
          const p = make();
          const keys = Array.from({ length: 7 }, (_, i) => key(`k${i}`));
          const known = [
            cards.succeeds(),
            cards.softDecline(),
            cards.processorError(),
            cards.refundFailsThenSucceeds.card(),
          ];
          const sent: ({ kind: "charge"; request: ChargeRequest } | { kind: "refund"; request: RefundRequest })[] = [];
          const charges = new Map<string, ChargeRequest>();
          const refunds = new Map<string, RefundRequest>();
          for (const o of ops) {
            const call =
              o.kind === "repeat"
                ? sent[o.index % Math.max(sent.length, 1)]
                : o.kind === "charge"
                  ? {
                      kind: o.kind,
                      request: chargeOf(keys[o.key] ?? "", known[o.key] ?? cards.succeeds(), { amount: o.amount }),
                    }
                  : {
                      kind: o.kind,
                      request: refundOf(
                        keys[o.key] ?? "",
                        [...charges.keys()][o.charge % (charges.size + 1)] ?? "ch_missing",
                        o.amount,
                      ),
                    };
            if (!call) continue;
            sent.push(call);
            if (call.kind === "charge") {
              const result = await p.charge(call.request);
              if (succeeded(result)) charges.set(result.chargeId, call.request);
            } else {
              const result = await p.refund(call.request);
              if (succeeded(result)) refunds.set(result.refundId, call.request);
            }
          }
          // Each id came from one key: distinct keys never share a charge or a refund.
          expect(new Set([...charges.values()].map((r) => r.idempotencyKey)).size).toBe(charges.size);
          expect(new Set([...refunds.values()].map((r) => r.idempotencyKey)).size).toBe(refunds.size);
          for (const [chargeId, paid] of charges) {
            const back = [...refunds.values()].filter((r) => r.chargeId === chargeId);
            const left = paid.amount - back.reduce((sum, r) => sum + r.amount, 0);
            expect(left).toBeGreaterThanOrEqual(0);
            await expectLeft(p, chargeId, left);
          }
        }),
        RUNS,
      );
    });
  });
}
