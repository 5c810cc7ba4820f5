import { env, runInDurableObject } from "cloudflare:test";
import type { Customer, SettlementReport } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import type { WebhookEndpointObject } from "../../src/webhooks/endpoint-object";
import { attachCard, call, createMerchant, createPurchase, expectProblem, purchaseBody, settled } from "../helpers";
import { fromEveryShard } from "../read-model-db";
import { Receiver } from "../webhooks/webhook-delivery-kit";
import { customerStub, d1Text, eventually, idempotencyText, objectText, personalData } from "./kit";

/**
 * A customer's erasure (issue 20, item 5): after `POST /v1/customers/{id}/redact`, no store Tranche
 * keeps holds the customer's name, email, metadata or card details, while the money stays as it was.
 */
describe("redacting a customer", () => {
  it("erases the personal data from every store and keeps the ledger and the reports", {
    timeout: 30_000,
  }, async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const pii = personalData();
    const endpoint = await call<{ id: string }>("/v1/webhook_endpoints", {
      key,
      body: { url: "http://localhost:8787/hooks", enabled_events: ["*"] },
    });
    const endpointStub = env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpoint.body.id));
    // A receiver that echoes what it was sent: its answers, logged at rest, hold the payloads too.
    const receiver = new Receiver([(r) => new Response(r.body, { status: 200 })]);
    await runInDurableObject(endpointStub, (instance: WebhookEndpointObject) => {
      instance.transport = receiver.transport;
    });

    const createKey = crypto.randomUUID();
    const body = { email: pii.email, name: pii.name, metadata: { loyalty: pii.metadataValue } };
    const created = await call<Customer>("/v1/customers", { key, body, headers: { "Idempotency-Key": createKey } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const fingerprint = await sha256Hex(`POST /v1/customers\n${JSON.stringify(body)}`);
    const first = await attachCard(key, id, "tok_visa");
    const second = await attachCard(key, id, "tok_mastercard");
    const updated = await call<Customer>(`/v1/customers/${id}`, {
      key,
      body: { name: pii.renamed, default_payment_method: second.id },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(updated.status).toBe(200);
    // A purchase paid off: nothing owed, so the customer may be redacted; its money stays in the books.
    const purchase = await createPurchase(key, purchaseBody(id, first.id));
    expect((await call(`/v1/purchases/${purchase.id}/payoff`, { key, body: {} })).status).toBe(200);
    expect((await call(`/v1/customers/${id}/payment_methods/${first.id}`, { key, method: "DELETE" })).status).toBe(200);

    // The endpoint holds the customer's events, delivered, and the receiver's echoes of them.
    const stored = () => objectText(endpointStub);
    expect(await eventually(async () => (await stored()).includes("payment_method.detached"))).toBe(true);
    await runInDurableObject(endpointStub, (instance: WebhookEndpointObject) => instance.alarm());
    const searched = [pii.email, pii.name, pii.renamed, pii.metadataValue, '"last4":"4242"', '"brand":"mastercard"'];
    expect((await stored()).includes(pii.renamed)).toBe(true);
    await settled();
    expect((await d1Text()).includes(pii.email)).toBe(true);

    const range = "from=2020-01-01&to=2040-01-01&granularity=month";
    const settlementsBefore = (await call<SettlementReport>(`/v1/reports/settlements?${range}`, { key })).body;
    const ledger = `SELECT * FROM ledger_entries WHERE customer_id = ? ORDER BY id`;
    const ledgerBefore = await fromEveryShard(ledger, id);
    const object = customerStub(merchant.id, id);
    const booksBefore = await ledgerOf(object);
    // Before: the object, the shard holding the creation's claim, D1 and the endpoint all hold some of it.
    expect((await objectText(object)).includes(pii.email)).toBe(true);
    expect((await idempotencyText(merchant.id)).includes(fingerprint)).toBe(true);

    const redacted = await call<Customer>(`/v1/customers/${id}/redact`, { key, body: {} });
    expect(redacted.status, JSON.stringify(redacted.body)).toBe(200);
    expect(redacted.body).toMatchObject({ id, redacted: true, name: null, email: null, metadata: {} });
    expect((await call<Customer>(`/v1/customers/${id}`, { key })).body).toMatchObject({ redacted: true, name: null });
    const cards = await call<{ data: unknown[] }>(`/v1/customers/${id}/payment_methods`, { key });
    expect(cards.body.data).toEqual([]);

    // D1 and the endpoint's deliveries follow through the projection.
    await settled();
    const clean = (text: string) => searched.every((s) => !text.includes(s)) && !text.includes(fingerprint);
    expect(await eventually(async () => clean(await d1Text()))).toBe(true);
    expect(await eventually(async () => clean(await stored()))).toBe(true);
    expect(clean(await objectText(object))).toBe(true);
    expect(clean(await idempotencyText(merchant.id))).toBe(true);
    // The redacted customer is what D1 and the events show now.
    const list = await call<{ data: Customer[] }>("/v1/customers", { key });
    expect(list.body.data.find((c) => c.id === id)).toMatchObject({ redacted: true, email: null });
    const events = await call<{ data: { type: string }[] }>(`/v1/events?customer=${id}&limit=100`, { key });
    expect(events.body.data.map((e) => e.type)).toEqual(
      expect.arrayContaining(["customer.redacted", "customer.updated"]),
    );

    // The money is untouched.
    expect((await call<SettlementReport>(`/v1/reports/settlements?${range}`, { key })).body).toEqual(settlementsBefore);
    expect(await fromEveryShard(ledger, id)).toEqual(ledgerBefore);
    expect(await ledgerOf(object)).toEqual(booksBefore);

    // A retry of the creation under its key is refused (its fingerprint is gone), not replayed with the data.
    await expectProblem(
      call("/v1/customers", { key, body, headers: { "Idempotency-Key": createKey } }),
      422,
      "idempotency_key_reused",
    );
    // Its settled purchase can still be refunded: the payout goes back to the charge, not the card.
    const refund = await call(`/v1/purchases/${purchase.id}/refunds`, { key, body: { amount: 1000 } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    // Redacting again answers the redacted customer and writes nothing new.
    const again = await call<Customer>(`/v1/customers/${id}/redact`, { key, body: {} });
    expect(again.body).toEqual(redacted.body);
  });
});

const ledgerOf = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_i, state) => state.storage.sql.exec("SELECT * FROM ledger ORDER BY id").toArray());
