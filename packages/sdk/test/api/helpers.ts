import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { readsReadModel, settled } from "../../../worker/test/settle";
import { type ClientOptions, type PurchaseCreateParams, Tranche, type TrancheError } from "../../src";

export const ADMIN_TOKEN = "test-admin-token";

export { settled };

/**
 * A client whose every request goes to the Worker under test. Lists, events and reports lag a
 * command by the projection queue's batch: a request that reads them waits for it first, as an
 * integration would poll (packages/worker/test/settle.ts).
 */
export function client(key: string, options: ClientOptions = {}) {
  const fetch = (url: string, init: RequestInit) => toWorker(new Request(url, init));
  return new Tranche(key, { baseUrl: "http://tranche.test", fetch, ...options });
}

/** Sends a request to the Worker under test, once the read model has what it reads. */
export async function toWorker(request: Request): Promise<Response> {
  if (readsReadModel(request.method, new URL(request.url).pathname)) await settled();
  return SELF.fetch(request);
}

export const admin = client(ADMIN_TOKEN);

/** A new merchant's client, with one customer who has a card of the given test token. */
export async function shopper(token = "tok_visa") {
  const merchant = await admin.merchants.create({ name: "Acme Outdoor" });
  const tranche = client(merchant.secret_key);
  const customer = await tranche.customers.create({ email: "ada@example.com", name: "Ada" });
  const card = await tranche.customers.paymentMethods.create(customer.id, { token });
  return { tranche, merchant, customer, card };
}

/** The call's rejection, checked to be of `Class` with the status and code the Worker documents. */
export async function rejection<E extends TrancheError>(
  call: PromiseLike<unknown>,
  Class: abstract new (...args: never[]) => E,
  status: number,
  code: string,
): Promise<E> {
  const error = await Promise.resolve(call).then(
    () => expect.fail(`expected ${Class.name} ${status} ${code}, got a success`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Class);
  const e = error as E;
  expect({ status: e.status, code: e.code }).toEqual({ status, code });
  expect(e.requestId).toMatch(/^req_/);
  expect(e.problem?.request_id).toBe(e.requestId);
  expect(e.message).toBe(e.problem?.detail);
  return e;
}

export const DAY = 86_400_000;
export const plusDays = (iso: string | null, days: number) =>
  new Date(Date.parse(iso ?? "") + days * DAY).toISOString();

/** A purchase of EUR 120.00 in four parts, unless `extra` says otherwise. */
export const order = (
  customer: string,
  payment_method: string,
  extra: Partial<PurchaseCreateParams> = {},
): PurchaseCreateParams => ({
  customer,
  payment_method,
  amount: 12000,
  currency: "EUR",
  plan: { type: "pay_in_n" },
  ...extra,
});
