import { describe, expect, it } from "vitest";
import type { ChargeRequest } from "../src/processor/port";
import { SimulatedProcessor, simulatedId } from "../src/processor/simulated";
import { SIMULATOR_HOLD_DAYS } from "../src/processor/simulated-holds";
import { InMemorySimulatorStore } from "../src/processor/simulator-store";
import { cardForTestToken } from "../src/processor/test-tokens";
import { describeProcessorContract } from "./processor-contract";
import { chargeOf, refundOf } from "./processor-contract-kit";

const newProcessor = () => new SimulatedProcessor(new InMemorySimulatorStore());

let cards = 0;
const cardOf = (token: string) => () => ({ id: `pm_${token}_${++cards}`, token });

describeProcessorContract("simulated processor", {
  make: newProcessor,
  cards: {
    succeeds: cardOf("tok_visa"),
    softDecline: cardOf("tok_insufficient_funds"),
    hardDecline: cardOf("tok_hard_decline"),
    processorError: cardOf("tok_processor_error"),
    timeout: cardOf("tok_timeout"),
    succeedsAfterSoftDeclines: { failures: 2, card: cardOf("tok_succeed_after_2") },
    refundFails: cardOf("tok_refund_fails"),
    refundFailsThenSucceeds: { failures: 3, card: cardOf("tok_refund_succeed_after_3") },
    shortHold: { days: 1, maxDays: SIMULATOR_HOLD_DAYS, card: cardOf("tok_hold_expires_early") },
    holdThenDeclines: cardOf("tok_hold_then_decline"),
  },
});

/** A charge on the card the token stands for: one card per token. */
const charge = (key: string, token: string, more: Partial<ChargeRequest> = {}) =>
  chargeOf(key, { id: `pm_${token}`, token }, more);

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
    ["tok_hold_expires_early", { status: "succeeded" }],
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
      const back = refundOf(`r_${token}`, simulatedId("charge", `c_${token}`), 1000);
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
      await p.refund(refundOf("ra", a, 100)),
      await p.refund(refundOf("rb", b, 100)),
      await p.refund(refundOf("ra", a, 100)),
      await p.refund(refundOf("ra", a, 100)),
      await p.refund(refundOf("rb", b, 100)),
    ];
    expect(results.map((r) => r.status)).toEqual(["failed", "failed", "failed", "succeeded", "succeeded"]);
    expect(results[0]).toMatchObject({ retryable: true, code: "processor_error" });
    // Another payment method with the same token has its own count.
    await p.charge(charge("c", "", { paymentMethod: { ...card, id: "pm_other" } }));
    expect(await p.refund(refundOf("rc", simulatedId("charge", "c"), 100))).toMatchObject({ status: "failed" });
  });

  it.each([
    ["tok_refund_fails", { brand: "visa", last4: "5126" }],
    ["tok_refund_succeed_after_4", { brand: "visa", last4: "5104" }],
    ["tok_succeed_after_4", { brand: "visa", last4: "0004" }],
    ["tok_refund_succeed_after_0", undefined],
  ])("%s stands for the card %o", (token, card) => {
    expect(cardForTestToken(token)).toEqual(card);
  });
});

describe("simulated processor: its log", () => {
  it("records how each call relates to its key, so tests can count attempts", async () => {
    const p = newProcessor();
    const installment = charge("pur_1:1", "tok_succeed_after_1");
    await p.charge(installment);
    await p.charge(installment);
    await p.charge(installment);
    await p.charge({ ...installment, amount: 1 });
    const chargeId = simulatedId("charge", "pur_1:1");
    const payout = refundOf("re_1:1", chargeId, 1000, "JPY");
    await p.refund(payout);
    await p.refund(payout);
    await p.refund(refundOf("re_2:1", chargeId, 1000));
    await p.refund(refundOf("re_2:1", chargeId, 1000));
    expect(p.calls().map((c) => [c.kind, c.idempotency, c.result.status])).toEqual([
      ["charge", "first", "declined"],
      ["charge", "retry", "succeeded"],
      ["charge", "replay", "succeeded"],
      ["charge", "mismatch", "failed"],
      ["refund", "first", "failed"],
      ["refund", "retry", "failed"],
      ["refund", "first", "succeeded"],
      ["refund", "replay", "succeeded"],
    ]);
    // The calls about one charge: its successful attempt and replay, and its refunds.
    expect(p.calls(chargeId)).toHaveLength(6);
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
