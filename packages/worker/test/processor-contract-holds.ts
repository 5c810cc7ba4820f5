import { describe, expect, it } from "vitest";
import type { AuthoriseRequest, PaymentProcessor } from "../src/processor/port";
import { type Card, type ContractSubject, chargeOf, contractKit, MISMATCH } from "./processor-contract-kit";

const T0 = "2026-03-01T12:00:00.000Z";
const DAY_MS = 86_400_000;
const later = (days: number) => new Date(Date.parse(T0) + days * DAY_MS).toISOString();
const final = (code: string) => ({ status: "failed", retryable: false, code });

/** Holds (authorise, capture, void): a hold never takes money until captured, and a capture is never declined. */
export function describeHoldContract(name: string, subject: ContractSubject) {
  const { make, cards } = subject;
  const { key, expectLeft } = contractKit();
  const authorisation = (card: Card, more: Partial<AuthoriseRequest> = {}): AuthoriseRequest => ({
    ...chargeOf(key("hold"), card),
    at: T0,
    ...more,
  });
  /** A hold of 1000 on the card, and its charge id. */
  async function held(p: PaymentProcessor, card: Card): Promise<string> {
    const result = await p.authorise(authorisation(card));
    if (result.status !== "authorised") throw new Error(`A hold on ${card.id} failed: ${JSON.stringify(result)}`);
    return result.chargeId;
  }
  const capture = (chargeId: string, at = T0, amount = 1000) => ({
    idempotencyKey: key("capture"),
    chargeId,
    amount,
    currency: "EUR",
    at,
  });

  describe(`${name}: processor port contract, holds`, () => {
    it("authorises a hold that lapses within the processor's limit, replays it, and takes its money once on capture", async () => {
      const p = make();
      const request = authorisation(cards.succeeds());
      const hold = await p.authorise(request);
      if (hold.status !== "authorised") throw new Error("the hold failed");
      expect(hold.expiresAt > T0 && hold.expiresAt <= later(cards.shortHold.maxDays)).toBe(true);
      expect(await p.authorise({ ...request, at: later(1) })).toEqual(hold);
      expect(await p.charge(request)).toMatchObject(MISMATCH);
      const captureRequest = capture(hold.chargeId, later(1));
      const taken = await p.captureAuthorisation(captureRequest);
      expect(taken).toEqual({ status: "succeeded", chargeId: hold.chargeId });
      expect(await p.captureAuthorisation(captureRequest)).toEqual(taken);
      expect(await p.captureAuthorisation({ ...captureRequest, amount: 999 })).toMatchObject(MISMATCH);
      expect(await p.captureAuthorisation(capture(hold.chargeId, later(1)))).toMatchObject(final("already_captured"));
      expect(await p.voidAuthorisation({ idempotencyKey: key("void"), chargeId: hold.chargeId })).toMatchObject(
        final("already_captured"),
      );
      await expectLeft(p, hold.chargeId, 1000);
    });

    it("captures part of a hold, never more than it keeps nor in another currency", async () => {
      const p = make();
      const chargeId = await held(p, cards.succeeds());
      expect(await p.captureAuthorisation(capture(chargeId, T0, 1001))).toMatchObject(
        final("amount_exceeds_authorisation"),
      );
      expect(await p.captureAuthorisation({ ...capture(chargeId), currency: "USD" })).toMatchObject(
        final("currency_mismatch"),
      );
      expect(await p.captureAuthorisation(capture(chargeId, T0, 600))).toMatchObject({ status: "succeeded" });
      await expectLeft(p, chargeId, 600);
    });

    it("declines or fails an authorisation as it would a charge, and holds nothing then", async () => {
      const p = make();
      for (const [card, expected] of [
        [cards.softDecline(), { status: "declined", retryable: true }],
        [cards.hardDecline(), { status: "declined", retryable: false }],
        [cards.processorError(), { status: "failed", retryable: true, code: "processor_error" }],
        [cards.timeout(), { status: "failed", retryable: true, code: "timeout" }],
      ] as const) {
        const request = authorisation(card);
        expect(await p.authorise(request)).toMatchObject(expected);
        expect(await p.authorise(request)).toMatchObject(expected);
      }
    });

    it("voids a hold once; a voided hold cannot be captured and took nothing", async () => {
      const p = make();
      const chargeId = await held(p, cards.succeeds());
      const request = { idempotencyKey: key("void"), chargeId };
      expect(await p.voidAuthorisation(request)).toEqual({ status: "voided" });
      expect(await p.voidAuthorisation(request)).toEqual({ status: "voided" });
      expect(await p.captureAuthorisation(capture(chargeId))).toMatchObject(final("authorisation_voided"));
      expect(await p.voidAuthorisation({ idempotencyKey: key("void"), chargeId: `${chargeId}_missing` })).toMatchObject(
        final("charge_not_found"),
      );
      expect(await p.refund({ idempotencyKey: key("refund"), chargeId, amount: 1, currency: "EUR" })).toMatchObject(
        final("charge_not_found"),
      );
    });

    it("lets a hold lapse at its expiry: capturing it then fails finally, voiding it still answers voided", async () => {
      const p = make();
      const { days, card } = cards.shortHold;
      const result = await p.authorise(authorisation(card()));
      if (result.status !== "authorised") throw new Error("the hold failed");
      expect(result.expiresAt).toBe(later(days));
      expect(await p.captureAuthorisation(capture(result.chargeId, later(days)))).toMatchObject(
        final("authorisation_expired"),
      );
      expect(await p.voidAuthorisation({ idempotencyKey: key("void"), chargeId: result.chargeId })).toEqual({
        status: "voided",
      });
    });

    it("declines a fresh authorisation on a card that held once and then runs dry", async () => {
      const p = make();
      const card = cards.holdThenDeclines();
      expect(await p.authorise(authorisation(card))).toMatchObject({ status: "authorised" });
      expect(await p.authorise(authorisation(card, { at: later(8) }))).toMatchObject({ status: "declined" });
    });
  });
}
