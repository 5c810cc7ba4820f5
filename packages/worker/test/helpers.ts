import { createExecutionContext, env, runInDurableObject, SELF, waitOnExecutionContext } from "cloudflare:test";
import type {
  ApiKeyWithSecret,
  Customer,
  MerchantWithKey,
  PaymentMethod,
  Problem,
  Purchase,
  TestClock,
} from "@tranche/shared";
import { expect } from "vitest";
import { createApp } from "../src/app";
import type { SimulatorCall } from "../src/processor/simulator-store";
import { readsReadModel, settled } from "./settle";

export { settled };

export const ADMIN_TOKEN = "test-admin-token";

interface CallOptions {
  method?: string;
  key?: string;
  body?: unknown;
  /** A raw body, sent as is (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

export async function call<T = unknown>(path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["Content-Type"] ??= "application/json";
  const method = opts.method ?? (body === undefined ? "GET" : "POST");
  // Lists, events and reports lag the write by the projection's batch: wait for it, as a client would.
  if (readsReadModel(method, path)) await settled();
  const res = await SELF.fetch(`http://tranche.test${path}`, {
    method,
    headers,
    body,
  });
  const text = await res.text();
  return { res, status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * The app called directly, as the runtime calls it, with some of its variables or secrets changed; `app`
 * to call one made on its own clock (its own key cache, as another isolate's).
 */
export async function callWithEnv(
  path: string,
  init: RequestInit,
  overrides: Record<string, unknown>,
  app = createApp(),
) {
  const ctx = createExecutionContext();
  const res = await app.request(`http://tranche.test${path}`, init, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** An admin POST of a JSON body, with some of the app's variables or secrets changed. */
export const adminPostWithEnv = (path: string, body: unknown, overrides: Record<string, unknown>) =>
  callWithEnv(
    path,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    },
    overrides,
  );

/** Asserts a problem+json answer with the given status and code, and returns it. */
export async function expectProblem(
  p: Promise<{ res: Response; status: number; body: unknown }>,
  status: number,
  code: string,
): Promise<Problem> {
  const { res, body } = await p;
  expect({ status: res.status, code: (body as Problem).code }).toEqual({ status, code });
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = body as Problem;
  expect(problem.request_id).toMatch(/^req_/);
  expect(problem.title).toBeTruthy();
  expect(problem.detail).toBeTruthy();
  // The 400's documentation promises each bad field in `errors` (issue 12).
  if (code === "validation_error") expect(problem.errors?.length, problem.detail).toBeGreaterThan(0);
  return problem;
}

export async function createMerchant(name = "Acme Outdoor"): Promise<MerchantWithKey> {
  const { status, body } = await call<MerchantWithKey>("/v1/merchants", { key: ADMIN_TOKEN, body: { name } });
  expect(status).toBe(201);
  return body;
}

export async function createCustomer(key: string, params: Record<string, unknown> = {}): Promise<Customer> {
  const { status, body } = await call<Customer>("/v1/customers", {
    key,
    body: { email: "ada@example.com", name: "Ada", ...params },
  });
  expect(status).toBe(201);
  return body;
}

export async function attachCard(key: string, customer: string, token = "tok_visa"): Promise<PaymentMethod> {
  const { status, body } = await call<PaymentMethod>(`/v1/customers/${customer}/payment_methods`, {
    key,
    body: { token },
  });
  expect(status).toBe(201);
  return body;
}

/** A merchant with one customer who has a card: the usual starting point of a purchase test. */
export async function shopper(params: Record<string, unknown> = {}) {
  const merchant = await createMerchant();
  const customer = await createCustomer(merchant.secret_key, params);
  const card = await attachCard(merchant.secret_key, customer.id);
  return { key: merchant.secret_key, merchant, customer, card };
}

export function purchaseBody(customer: string, payment_method: string, overrides: Record<string, unknown> = {}) {
  return { customer, payment_method, amount: 12000, currency: "EUR", plan: { type: "pay_in_n" }, ...overrides };
}

export async function createPurchase(key: string, body: Record<string, unknown>): Promise<Purchase> {
  const res = await call<Purchase>("/v1/purchases", { key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export const DAY = 86_400_000;

/** `iso` moved by `days`, as an ISO timestamp. */
export const plusDays = (iso: string | null | undefined, days: number) =>
  new Date(Date.parse(iso ?? "") + days * DAY).toISOString();

/** A new merchant's customer with a card of the given test token, and the customer's object. */
export async function customerWith(token = "tok_visa") {
  const merchant = await createMerchant();
  const key = merchant.secret_key;
  const customer = await createCustomer(key);
  const card = await attachCard(key, customer.id, token);
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
  return { key, merchant, customer, card, stub };
}

export async function advanceClock(key: string, customer: string, to: string) {
  const res = await call<TestClock>(`/v1/test_helpers/customers/${customer}/advance_clock`, { key, body: { to } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/**
 * A customer object's books: ledger balances by account, the ledger's total, the processor keys
 * that took money, and the refunds the processor paid.
 */
export function books(stub: DurableObjectStub) {
  return runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    const rows = sql
      .exec<{ account: string; total: number }>("SELECT account, SUM(amount) AS total FROM ledger GROUP BY account")
      .toArray();
    const calls = sql
      .exec<{ call: string }>("SELECT call FROM processor_calls WHERE attempt = 1 ORDER BY seq")
      .toArray()
      .map((r) => JSON.parse(r.call) as SimulatorCall);
    const succeeded = <K extends SimulatorCall["kind"]>(...kinds: K[]) =>
      calls.filter(
        (c): c is Extract<SimulatorCall, { kind: K }> => kinds.includes(c.kind as K) && c.result.status === "succeeded",
      );
    return {
      balance: (account: string) => rows.find((r) => r.account === account)?.total ?? 0,
      total: rows.reduce((s, r) => s + r.total, 0),
      // A capture takes the money its hold kept, as a charge does.
      successes: succeeded("charge", "capture").map((c) => c.request.idempotencyKey),
      refunds: succeeded("refund").map((c) => c.request),
    };
  });
}

/** Gives a merchant a live key through the admin route (the tests' worker has a live processor). */
export async function liveKeyFor(merchantId: string): Promise<string> {
  const { status, body } = await call<ApiKeyWithSecret>(`/v1/merchants/${merchantId}/keys`, {
    key: ADMIN_TOKEN,
    body: { mode: "live" },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body.secret_key;
}

/** Moves an installment's due date and its timed actions a second into the past, so the next alarm charges it. */
export function fallDueNow(sql: SqlStorage, purchase: string, number: number): void {
  const due = new Date(Date.now() - 1000).toISOString();
  for (const [table, column] of [
    ["actions", "at"],
    ["installments", "due_at"],
  ]) {
    sql.exec(`UPDATE ${table} SET ${column} = ? WHERE purchase_id = ? AND number = ?`, due, purchase, number);
  }
}
