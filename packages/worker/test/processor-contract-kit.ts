import { expect } from "vitest";
import type { ChargeRequest, PaymentProcessor, RefundRequest, RefundResult } from "../src/processor/port";

export type Card = ChargeRequest["paymentMethod"];
/** A new card of one behaviour on each call, so a card that counts its attempts starts from zero. */
export type NewCard = () => Card;

/** What the contract suite needs of an adapter: a processor, and cards that behave in known ways. */
export interface ContractSubject {
  make: () => PaymentProcessor;
  cards: {
    succeeds: NewCard;
    softDecline: NewCard;
    hardDecline: NewCard;
    processorError: NewCard;
    timeout: NewCard;
    /** Its first `failures` charges are soft-declined, then charges succeed. */
    succeedsAfterSoftDeclines: { failures: number; card: NewCard };
    /** Charges succeed; every refund is refused finally. */
    refundFails: NewCard;
    /** Charges succeed; its first `failures` refunds fail retryably, then refunds succeed. */
    refundFailsThenSucceeds: { failures: number; card: NewCard };
    /** Holds on it lapse after `days`; no hold on any card outlives `maxDays`, the processor's limit. */
    shortHold: { days: number; maxDays: number; card: NewCard };
    /** Its first charge or authorisation succeeds; every later one is declined. */
    holdThenDeclines: NewCard;
  };
}

export const chargeOf = (idempotencyKey: string, paymentMethod: Card, more: Partial<ChargeRequest> = {}) =>
  ({ idempotencyKey, paymentMethod, amount: 1000, currency: "EUR", ...more }) satisfies ChargeRequest;

export const refundOf = (idempotencyKey: string, chargeId: string, amount: number, currency = "EUR") =>
  ({ idempotencyKey, chargeId, amount, currency }) satisfies RefundRequest;

/** The refund's result once it no longer fails retryably (a few tries at most). */
async function settled(p: PaymentProcessor, request: RefundRequest): Promise<RefundResult> {
  let result = await p.refund(request);
  for (let i = 0; i < 9 && result.status === "failed" && result.retryable; i++) result = await p.refund(request);
  return result;
}

export const MISMATCH = { status: "failed", retryable: false, code: "idempotency_mismatch" } as const;

/**
 * Keys and money checks for one suite. Keys are unique to the run and the call, so a sandbox
 * that remembers keys across runs never replays an old one. Money is counted the way a merchant
 * could count it: by what is left to refund on a charge.
 */
export function contractKit() {
  const run = crypto.randomUUID();
  let n = 0;
  const key = (label: string) => `${run}:${++n}:${label}`;

  /** A new charge of `amount` on the card, and its id. */
  async function charged(p: PaymentProcessor, card: Card, amount = 1000): Promise<string> {
    const result = await p.charge(chargeOf(key("charge"), card, { amount }));
    if (result.status !== "succeeded") throw new Error(`A charge on ${card.id} failed: ${JSON.stringify(result)}`);
    return result.chargeId;
  }

  /**
   * Exactly `left` minor units of the charge remain refundable (this refunds them). Each refund is
   * retried under its key while it fails retryably, as the port asks, since the card may be flaky.
   */
  async function expectLeft(p: PaymentProcessor, chargeId: string, left: number) {
    expect(await settled(p, refundOf(key("over"), chargeId, left + 1))).toMatchObject({
      status: "failed",
      retryable: false,
      code: "amount_exceeds_charge",
    });
    if (left > 0)
      expect(await settled(p, refundOf(key("rest"), chargeId, left))).toMatchObject({ status: "succeeded" });
  }

  return { key, charged, expectLeft };
}
