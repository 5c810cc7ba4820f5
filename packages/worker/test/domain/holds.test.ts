import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/domain/collections";
import { saveHold } from "../../src/objects/customer/holds/plan";
import { checkBooks } from "./books";
import { inCustomerObject, TestCustomer } from "./customer";
import { CAPTURED_AT, PAY_IN_4 } from "./fixtures";

const DAY = 86_400_000;
const MANUAL = { ...PAY_IN_4, capture: "manual" } as const;
const kinds = (c: TestCustomer) => c.processor.calls().map((call) => `${call.kind} ${call.result.status}`);

describe("a manual capture's hold, through the real commands and schedule", () => {
  it(
    "is released when a hold period shorter than the processor's limit ends, and the purchase expires",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, { ...DEFAULT_POLICY, hold_days: 3 }, CAPTURED_AT, ["succeeded"]);
      const id = await c.create(MANUAL);
      expect(c.store.holds.of(id)).toMatchObject({ status: "held", expires_at: "2026-03-04T09:00:00.000Z" });
      await c.advance(2 * DAY);
      expect(c.purchase(id).status).toBe("requires_capture");
      await c.advance(2 * DAY);
      expect(kinds(c)).toEqual(["authorise authorised", "void voided"]);
      expect(c.purchase(id).status).toBe("expired");
      expect(c.store.holds.of(id)?.status).toBe("expired");
      expect(c.books.events().map((e) => e.type)).toEqual(["purchase.expired"]);
      checkBooks(c);
      expect(await c.capture(id)).toMatchObject({ ok: false, code: "invalid_state" });
    }),
  );

  it(
    "lapsed at the processor before its announced expiry, charges afresh at capture under the installment's key",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, { ...DEFAULT_POLICY, hold_days: 10 }, CAPTURED_AT, ["succeeded"]);
      const id = await c.create(MANUAL);
      const hold = c.store.holds.of(id);
      if (!hold) throw new Error("no hold");
      // As an issuer releasing a hold early: the processor's 7 days end before the 9 it announced.
      c.store.transact(() => saveHold(c.store, { ...hold, expires_at: "2026-03-10T09:00:00.000Z" }));
      await c.advance(8 * DAY);
      expect(c.store.holds.of(id)?.status).toBe("held");
      expect(await c.capture(id)).toEqual({ ok: true });
      expect(c.store.holds.of(id)).toMatchObject({ status: "lapsed", failure: "authorisation_expired" });
      expect(kinds(c)).toEqual(["authorise authorised", "capture failed", "charge succeeded"]);
      expect(c.processor.calls().at(-1)?.request.idempotencyKey).toBe(`${id}:1:2500`);
      expect(c.store.installments(id).map((i) => i.status)).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
      checkBooks(c);
    }),
  );

  it(
    "taken at capture pays the first part with the hold's charge, which a refund then pays back",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["succeeded"]);
      const id = await c.create(MANUAL);
      await c.advance(DAY);
      expect(await c.capture(id)).toEqual({ ok: true });
      const [first] = c.store.installments(id);
      const chargeId = c.store.holds.of(id)?.charge_id;
      expect(first).toMatchObject({ status: "paid", charge_id: chargeId });
      expect(kinds(c)).toEqual(["authorise authorised", "capture succeeded"]);
      checkBooks(c);
      const refunded = await c.refund(id);
      expect(refunded).toMatchObject({ ok: true, refund: { status: "succeeded", cash_returned: 2500 } });
      checkBooks(c);
    }),
  );

  it(
    "retries a capture and a release the processor could not answer, under the same keys, until they are made",
    inCustomerObject(async (storage) => {
      const c = new TestCustomer(storage, DEFAULT_POLICY, CAPTURED_AT, ["succeeded"]);
      const [taken, released] = [await c.create(MANUAL), await c.create(MANUAL)];
      const { processor } = c;
      const failOnce = <T>(real: (r: T) => Promise<unknown>) => {
        let failed = false;
        return (request: T) => {
          if (failed) return real(request);
          failed = true;
          return Promise.resolve({ status: "failed", retryable: true, code: "timeout", message: "" });
        };
      };
      processor.captureAuthorisation = failOnce(processor.captureAuthorisation.bind(processor)) as never;
      processor.voidAuthorisation = failOnce(processor.voidAuthorisation.bind(processor)) as never;
      expect(await c.capture(taken)).toEqual({ ok: true });
      expect(await c.cancel(released)).toEqual({ ok: true });
      expect(c.store.holds.of(taken)).toMatchObject({ status: "capturing", attempts: 1, failure: "timeout" });
      expect(c.store.installments(taken)[0]?.status).toBe("processing");
      expect(c.store.holds.of(released)).toMatchObject({ status: "voiding", attempts: 1 });
      checkBooks(c);
      await c.advance(2 * 3_600_000);
      expect(c.store.holds.of(taken)?.status).toBe("captured");
      expect(c.store.installments(taken)[0]?.status).toBe("paid");
      expect(c.store.holds.of(released)?.status).toBe("voided");
      expect(kinds(c).filter((k) => !k.startsWith("authorise"))).toEqual(["capture succeeded", "void voided"]);
      checkBooks(c);
    }),
  );
});
