// The openapi-fetch program of test/openapi-client (type-checked against types generated from
// /openapi.json by test/node/openapi-client.test.ts) run against the Worker.
import { describe, expect, it } from "vitest";
import { checkout } from "../openapi-client/program";
import { admin, toWorker } from "./helpers";

describe("a client generated from /openapi.json, against the Worker", () => {
  it("creates a customer, attaches a card, creates a purchase and lists it", async () => {
    const merchant = await admin.merchants.create({ name: "Acme Outdoor" });
    const result = await checkout({
      baseUrl: "http://tranche.test",
      key: merchant.secret_key,
      fetch: toWorker,
    });
    expect(result.card).toMatchObject({ customer: result.customer.id, object: "payment_method" });
    expect(result.purchase).toMatchObject({ customer: result.customer.id, amount: 12000, status: "active" });
    expect(result.purchase.installments).toHaveLength(4);
    expect(result.purchases.map((p) => p.id)).toContain(result.purchase.id);
  });
});
