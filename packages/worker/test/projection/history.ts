import { expect } from "vitest";
import type { ProjectionMessage } from "../../src/projection/message";
import {
  advanceClock,
  attachCard,
  createCustomer,
  createMerchant,
  createPurchase,
  plusDays,
  purchaseBody,
  settled,
} from "../helpers";
import { readModelDb } from "../read-model-db";
import { recordProjection } from "./kit";
import { forgetMerchant } from "./reference";

/**
 * A merchant's history whose projection the tests replay: two customers, one whose card pays at
 * the second attempt (an installment goes through dunning and is paid late), purchases paid over
 * their lives, a refund. Returns every message the customer objects sent, in order, none of which
 * reached D1; D1 is then emptied of the merchant, so the messages can be projected afresh.
 */
export async function recordedHistory(): Promise<{ merchantId: string; messages: ProjectionMessage[] }> {
  const merchant = await createMerchant();
  const key = merchant.secret_key;
  const messages: ProjectionMessage[] = [];
  const start = "2027-02-01T10:00:00.000Z";
  for (const token of ["tok_succeed_after_1", "tok_visa"]) {
    const customer = await createCustomer(key);
    const card = await attachCard(key, customer.id, token);
    await settled();
    const d1Customer = await (await readModelDb(merchant.id))
      .prepare("SELECT email, created_at, version, data FROM customers WHERE id = ?")
      .bind(customer.id)
      .first<{ email: string | null; created_at: string; version: number; data: string }>();
    if (!d1Customer) throw new Error("the customer is not in D1");
    // The customer's own message went to the real queue before the recording began: made again here.
    messages.push({
      merchantId: merchant.id,
      livemode: false,
      customerId: customer.id,
      customer: d1Customer,
      purchases: [],
      ledger: [],
      events: [],
      installment_log: [],
    });
    const { stub, queue: sent } = await recordProjection(merchant.id, customer.id);
    await advanceClock(key, customer.id, start);
    const later = { plan: { type: "pay_later", days: 14 } };
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, token === "tok_visa" ? {} : later));
    await advanceClock(key, customer.id, plusDays(start, 20));
    await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 8000 }));
    await advanceClock(key, customer.id, plusDays(start, 50));
    // Lists still come from D1, which has none of this: the refund goes by the customer's object.
    const refund = await stub.refundPurchase({
      caller: { merchantId: merchant.id, livemode: false },
      purchaseId: p.id,
      params: { amount: 1000 },
    });
    expect(refund.ok).toBe(true);
    await stub.readModelLag();
    messages.push(...sent.sent);
  }
  await forgetMerchant(merchant.id);
  expect(messages.length).toBeGreaterThan(6);
  return { merchantId: merchant.id, messages };
}
