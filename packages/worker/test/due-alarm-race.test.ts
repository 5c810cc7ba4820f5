import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { books, call, createPurchase, customerWith, purchaseBody } from "./helpers";

// Split from customer-operations.test.ts, which the latent-processor project also runs: on a
// processor that waits, this race books the installment twice (issue 18, item 3), so this file
// joins LATENT_TESTS in vitest.config.ts once due charges have their in-flight guard.
describe("paying an installment early", () => {
  it("racing the due alarm for the same installment, charges it once", async () => {
    const { key, customer, card, stub } = await customerWith();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10000 }));
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(
        "UPDATE actions SET at = ? WHERE purchase_id = ? AND number = 2 AND type = 'charge'",
        new Date(Date.now() - 1000).toISOString(),
        p.id,
      );
    });
    const [early] = await Promise.all([
      call<Purchase>(`/v1/purchases/${p.id}/installments/2/pay`, { key, method: "POST" }),
      runDurableObjectAlarm(stub),
    ]);
    // Whichever ran second found it paid: the payment either succeeded or was refused as already paid.
    expect([200, 400]).toContain(early.status);
    const after = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(after.installments[1]?.status).toBe("paid");
    const b = await books(stub);
    expect(b.successes.filter((k) => k.startsWith(`${p.id}:2:`))).toHaveLength(1);
    expect(b.balance("processor_clearing")).toBe(5000);
  });
});
