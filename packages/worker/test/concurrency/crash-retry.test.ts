import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../../src/objects/customer";
import { advanceClock, books, call, customerWith, plusDays, purchaseBody } from "../helpers";

/**
 * Issue 18, "how we will know": a command killed while its charge is in flight, on a processor that
 * waits (this file runs in the latent-processor project), then restarted from storage; the client
 * retries with its key after the customer's clock moved on, and finds one purchase and one charge.
 */

type Stub = DurableObjectStub<CustomerObject>;

/** Makes the object's command die at `point`, once, as an eviction in the middle of it would. */
const killAt = (stub: Stub, point: string) =>
  runInDurableObject(stub, (instance: CustomerObject) => {
    instance.faults.at = (reached) => {
      if (reached !== point) return;
      instance.faults.at = () => {};
      throw new Error(`killed at ${reached}`);
    };
  });

const purchasesIn = (stub: Stub) =>
  runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("SELECT id FROM purchases").toArray().length);

describe("a purchase killed mid-flight, retried with its key across a test-clock advance", () => {
  // Before: the processor was never asked. After: it took the money; the object never heard.
  for (const point of ["due_charge:before", "due_charge:after"]) {
    it(`killed at ${point}: one purchase, one charge, and the retry's answer replayed`, async () => {
      const { key, customer, card, stub: s } = await customerWith();
      const stub = s as Stub;
      const start = "2027-01-04T10:00:00.000Z";
      await advanceClock(key, customer.id, start);
      const body = purchaseBody(customer.id, card.id);
      const headers = { "Idempotency-Key": `crash-${point}` };

      await killAt(stub, point);
      const killed = await call("/v1/purchases", { key, body, headers });
      expect(killed.status, JSON.stringify(killed.body)).toBe(500);
      await evictDurableObject(stub);

      await advanceClock(key, customer.id, plusDays(start, 2));
      const retried = await call<Purchase>("/v1/purchases", { key, body, headers });
      expect(retried.status, JSON.stringify(retried.body)).toBe(201);
      expect(retried.body.installments[0]?.status).toBe("paid");
      const again = await call<Purchase>("/v1/purchases", { key, body, headers });
      expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.body).toEqual(retried.body);

      expect(await purchasesIn(stub)).toBe(1);
      const b = await books(stub);
      expect(b.successes).toHaveLength(1);
      expect(b.total).toBe(0);
      expect(b.balance("processor_clearing")).toBe(3000);
    });
  }
});
