import { describe, expect, it } from "vitest";
import { describeHoldContract } from "./processor-contract-holds";
import { type ContractSubject, chargeOf, contractKit, MISMATCH, refundOf } from "./processor-contract-kit";
import { describeContractProperties } from "./processor-contract-properties";

export type { ContractSubject } from "./processor-contract-kit";

/**
 * The port's contract (src/processor/port.ts) as tests any adapter must pass. They look only at
 * results, never at an implementation's internals, so a real adapter can run them in its sandbox.
 * A call that rejects fails the test: results never reject but for malformed requests.
 */
export function describeProcessorContract(name: string, subject: ContractSubject) {
  const { make, cards } = subject;
  const { key, charged, expectLeft } = contractKit();

  describe(`${name}: processor port contract, charges`, () => {
    it("replays a success under its key with the same chargeId, and takes the money once", async () => {
      const p = make();
      const request = chargeOf(key("charge"), cards.succeeds());
      const first = await p.charge(request);
      expect(first).toMatchObject({ status: "succeeded" });
      // The description is a label, not part of the request.
      expect(await p.charge({ ...request, description: "relabelled" })).toEqual(first);
      if (first.status === "succeeded") await expectLeft(p, first.chargeId, 1000);
    });

    it("answers idempotency_mismatch to a key reused for a different request, and moves no money", async () => {
      const p = make();
      const request = chargeOf(key("charge"), cards.succeeds());
      const first = await p.charge(request);
      for (const other of [{ amount: 999 }, { currency: "USD" }, { paymentMethod: cards.succeeds() }]) {
        expect(await p.charge({ ...request, ...other })).toMatchObject(MISMATCH);
      }
      if (first.status !== "succeeded") throw new Error("the charge failed");
      expect(await p.refund(refundOf(request.idempotencyKey, first.chargeId, 1))).toMatchObject(MISMATCH);
      expect(await p.charge(request)).toEqual(first);
      await expectLeft(p, first.chargeId, 1000);

      // A key whose attempt was declined names its request just the same.
      const declined = chargeOf(key("declined"), cards.hardDecline());
      await p.charge(declined);
      expect(await p.charge({ ...declined, paymentMethod: cards.succeeds() })).toMatchObject(MISMATCH);
    });

    it("marks soft declines retryable and hard ones final; either may be tried again under its key", async () => {
      const p = make();
      for (const [card, retryable] of [
        [cards.softDecline(), true],
        [cards.hardDecline(), false],
      ] as const) {
        const request = chargeOf(key("declined"), card);
        expect(await p.charge(request)).toMatchObject({ status: "declined", retryable });
        expect(await p.charge(request)).toMatchObject({ status: "declined", retryable });
      }
    });

    it("marks processor errors and timeouts retryable; a retry under the same key is a new attempt", async () => {
      const p = make();
      for (const [card, code] of [
        [cards.processorError(), "processor_error"],
        [cards.timeout(), "timeout"],
      ] as const) {
        const request = chargeOf(key("failed"), card);
        expect(await p.charge(request)).toMatchObject({ status: "failed", retryable: true, code });
        expect(await p.charge(request)).toMatchObject({ status: "failed", retryable: true, code });
      }
    });

    it("lets a key retried after soft declines succeed once, then replay", async () => {
      const p = make();
      const { failures, card } = cards.succeedsAfterSoftDeclines;
      const request = chargeOf(key("dunning"), card());
      for (let i = 0; i < failures; i++) {
        expect(await p.charge(request)).toMatchObject({ status: "declined", retryable: true });
      }
      const paid = await p.charge(request);
      expect(paid).toMatchObject({ status: "succeeded" });
      expect(await p.charge(request)).toEqual(paid);
      if (paid.status === "succeeded") await expectLeft(p, paid.chargeId, 1000);
    });
  });

  describe(`${name}: processor port contract, refunds`, () => {
    it("replays a refund after success with the same refundId, and pays it once", async () => {
      const p = make();
      const chargeId = await charged(p, cards.succeeds());
      const request = refundOf(key("refund"), chargeId, 400);
      const first = await p.refund(request);
      expect(first).toMatchObject({ status: "succeeded" });
      expect(await p.refund(request)).toEqual(first);
      expect(await p.refund({ ...request, amount: 300 })).toMatchObject(MISMATCH);
      await expectLeft(p, chargeId, 600);
    });

    it("refuses finally a refund of more than is left, in another currency, or of no charge", async () => {
      const p = make();
      const chargeId = await charged(p, cards.succeeds());
      const final = (code: string) => ({ status: "failed", retryable: false, code });
      expect(await p.refund(refundOf(key("over"), chargeId, 1001))).toMatchObject(final("amount_exceeds_charge"));
      expect(await p.refund(refundOf(key("yen"), chargeId, 10, "JPY"))).toMatchObject(final("currency_mismatch"));
      expect(await p.refund(refundOf(key("nothing"), `${chargeId}_missing`, 1))).toMatchObject(
        final("charge_not_found"),
      );
      await expectLeft(p, chargeId, 1000);
    });

    it("pays a refund retried under its key after retryable failures, once", async () => {
      const p = make();
      const { failures, card } = cards.refundFailsThenSucceeds;
      const chargeId = await charged(p, card());
      const request = refundOf(key("payout"), chargeId, 1000);
      for (let i = 0; i < failures; i++) {
        expect(await p.refund(request)).toMatchObject({ status: "failed", retryable: true });
      }
      const paid = await p.refund(request);
      expect(paid).toMatchObject({ status: "succeeded" });
      expect(await p.refund(request)).toEqual(paid);
      await expectLeft(p, chargeId, 0);
    });

    it("keeps a refund refused finally by the card failed under its key", async () => {
      const p = make();
      const chargeId = await charged(p, cards.refundFails());
      const request = refundOf(key("payout"), chargeId, 1000);
      for (let i = 0; i < 3; i++) expect(await p.refund(request)).toMatchObject({ status: "failed", retryable: false });
      expect(await p.refund({ ...request, amount: 999 })).toMatchObject(MISMATCH);
    });
  });

  describe(`${name}: processor port contract, requests`, () => {
    it("rejects malformed requests with a RangeError, leaving the key unused", async () => {
      const p = make();
      const chargeKey = key("malformed");
      const malformed = [{ amount: 0 }, { amount: 1.5 }, { amount: -5 }, { currency: "eur" }, { currency: "EURO" }];
      for (const bad of [...malformed, { idempotencyKey: "" }]) {
        await expect(p.charge(chargeOf(chargeKey, cards.succeeds(), bad))).rejects.toThrow(RangeError);
      }
      // Nothing was recorded under the key: another request may still use it.
      const charge = await p.charge(chargeOf(chargeKey, cards.succeeds(), { amount: 700 }));
      if (charge.status !== "succeeded") throw new Error("the charge failed");

      const refundKey = key("malformed");
      for (const bad of [...malformed, { idempotencyKey: "" }]) {
        const request = { ...refundOf(refundKey, charge.chargeId, 100), ...bad };
        await expect(p.refund(request)).rejects.toThrow(RangeError);
      }
      expect(await p.refund(refundOf(refundKey, charge.chargeId, 200))).toMatchObject({ status: "succeeded" });
      await expectLeft(p, charge.chargeId, 500);
    });
  });

  describeContractProperties(name, subject);
  describeHoldContract(name, subject);
}
