import { env } from "cloudflare:test";
import type { Customer } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { LOCAL_TABLE } from "../../src/analytics/render-local";
import { attachCard, call, createMerchant, createPurchase, purchaseBody, settled } from "../helpers";
import { eventually, personalData } from "./kit";

/**
 * Analytics Engine rows cannot be deleted, so a redaction could never reach them: no personal data may
 * ever be written there (src/analytics/points.ts builds every point from ids, codes, amounts and routes).
 * The tests' sink writes the same encoded points to D1's local table, which is read back here.
 */
describe("analytics points hold no personal data", () => {
  it("writes none of a customer's name, email, metadata or card details, whatever the customer does", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const pii = personalData();
    const created = await call<Customer>("/v1/customers", {
      key,
      body: { email: pii.email, name: pii.name, metadata: { loyalty: pii.metadataValue } },
    });
    const id = created.body.id;
    const card = await attachCard(key, id, "tok_mastercard");
    const declining = await attachCard(key, id, "tok_insufficient_funds");
    await call(`/v1/customers/${id}`, { key, body: { name: pii.renamed, email: `x${pii.email}` } });
    await createPurchase(key, purchaseBody(id, card.id));
    await call("/v1/purchases", { key, body: purchaseBody(id, declining.id) });
    await call(`/v1/customers/${id}/payment_methods/${declining.id}`, { key, method: "DELETE" });
    // A refused request (with the data in its body) is measured too.
    await call(`/v1/customers/${id}`, { key, body: { email: pii.name } });
    await settled();

    const rows = async () =>
      (await env.DB.prepare(`SELECT * FROM ${LOCAL_TABLE} WHERE index1 = ?`).bind(merchant.id).all()).results;
    // Requests and money are measured: there is something to search.
    expect(
      await eventually(async () => {
        const kinds = new Set((await rows()).map((r) => r.blob1));
        return kinds.has("request") && kinds.has("money");
      }),
    ).toBe(true);
    const text = JSON.stringify(await rows());
    for (const data of [pii.email, pii.name, pii.renamed, pii.metadataValue, "mastercard"]) {
      expect(text, data).not.toContain(data);
    }
  });
});
