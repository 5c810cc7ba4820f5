import { runInDurableObject } from "cloudflare:test";
import type { Event, PaymentMethod, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  advanceClock,
  attachCard,
  call,
  createPurchase,
  customerWith,
  expectProblem,
  plusDays,
  purchaseBody,
} from "../helpers";

const detach = (key: string, customer: string, card: string) =>
  call<{ id: string; detached: boolean }>(`/v1/customers/${customer}/payment_methods/${card}`, {
    key,
    method: "DELETE",
  });

const listed = async (key: string, customer: string) =>
  (await call<{ data: PaymentMethod[] }>(`/v1/customers/${customer}/payment_methods`, { key })).body.data.map(
    (c) => c.id,
  );

/** `DELETE /v1/customers/{id}/payment_methods/{pm}` (issue 20, item 5). */
describe("detaching a card", () => {
  it("detaches a card no purchase depends on: no longer listed, nor usable, and an event says so", async () => {
    const { key, customer, card } = await customerWith();
    const res = await detach(key, customer.id, card.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: card.id, object: "payment_method", detached: true });
    expect(await listed(key, customer.id)).toEqual([]);
    await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) }),
      400,
      "payment_method_not_found",
    );
    const events = await call<{ data: Event[] }>(`/v1/events?customer=${customer.id}&type=payment_method.detached`, {
      key,
    });
    expect(events.body.data.map((e) => e.data.object)).toEqual([
      expect.objectContaining({ id: card.id, object: "payment_method" }),
    ]);
    // A second detach finds no such card.
    await expectProblem(detach(key, customer.id, card.id), 404, "not_found");
  });

  it("moves the purchases owing on it to the default card, which their later installments are charged to", async () => {
    const { key, customer, card, stub } = await customerWith();
    const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));
    const other = await attachCard(key, customer.id, "tok_mastercard");
    expect(
      (await call(`/v1/customers/${customer.id}`, { key, body: { default_payment_method: other.id } })).status,
    ).toBe(200);
    expect((await detach(key, customer.id, card.id)).status).toBe(200);
    expect((await call<Purchase>(`/v1/purchases/${purchase.id}`, { key })).body.payment_method).toBe(other.id);
    expect(await listed(key, customer.id)).toEqual([other.id]);

    await advanceClock(key, customer.id, plusDays(purchase.created_at, 40));
    const charged = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql
        .exec<{ pm: string }>(
          "SELECT DISTINCT payment_method_id AS pm FROM processor_calls WHERE kind = 'charge' ORDER BY seq",
        )
        .toArray()
        .map((r) => r.pm),
    );
    expect(charged).toEqual([card.id, other.id]);
    const after = (await call<Purchase>(`/v1/purchases/${purchase.id}`, { key })).body;
    expect(after.installments.filter((i) => i.status === "paid").length).toBeGreaterThan(1);
  });

  it("clears the default when the default card itself is detached", async () => {
    const { key, customer, card } = await customerWith();
    await call(`/v1/customers/${customer.id}`, { key, body: { default_payment_method: card.id } });
    expect((await detach(key, customer.id, card.id)).status).toBe(200);
    const read = await call<{ default_payment_method: string | null }>(`/v1/customers/${customer.id}`, { key });
    expect(read.body.default_payment_method).toBeNull();
    const updates = await call<{ data: Event[] }>(`/v1/events?customer=${customer.id}&type=customer.updated`, { key });
    expect(
      updates.body.data.map((e) => (e.data.object as { default_payment_method: string | null }).default_payment_method),
    ).toEqual([null, card.id]);
  });
});
