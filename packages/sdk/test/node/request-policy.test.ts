// The client's retry policy against injected failing fetches: what is retried, what never is, how
// often and how long apart (timeouts, abort signals and what is sent: requests.test.ts).
import { describe, expect, it, vi } from "vitest";
import {
  APIError,
  AuthenticationError,
  ConflictError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  RateLimitError,
  type TrancheError,
  ValidationError,
} from "../../src";
import { fakeFetch, ok, problem, settle, tranche, useFakeTimers } from "./request-kit";

useFakeTimers();

describe("what is retried, with the same Idempotency-Key", () => {
  it("retries a network error", async () => {
    const fake = fakeFetch(new TypeError("fetch failed"), ok());
    const { value } = await settle(tranche(fake).customers.create({ email: "a@b.c" }));
    expect(value).toEqual({ id: "cus_1", object: "customer" });
    expect(fake.calls).toHaveLength(2);
    const [first, second] = fake.keys();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(fake.calls[1]?.init.body).toBe(JSON.stringify({ email: "a@b.c" }));
  });

  it("retries 5xx, 429 and a 409 for a request still in flight", async () => {
    const fake = fakeFetch(
      problem(500, "internal_error"),
      new Response("<html>bad gateway</html>", { status: 502 }),
      problem(503, "internal_error"),
      problem(429, "rate_limited"),
      problem(409, "idempotency_key_in_use"),
      ok(),
    );
    const { value } = await settle(tranche(fake, { maxRetries: 5 }).purchases.capture("pur_1"));
    expect(value).toBeDefined();
    expect(fake.calls).toHaveLength(6);
    expect(new Set(fake.keys()).size).toBe(1);
  });

  it("uses the caller's key on every attempt", async () => {
    const fake = fakeFetch(problem(500, "internal_error"), ok());
    await settle(tranche(fake).purchases.payoff("pur_1", { idempotencyKey: "order-42-payoff" }));
    expect(fake.keys()).toEqual(["order-42-payoff", "order-42-payoff"]);
  });

  it("gives each call its own key", async () => {
    const fake = fakeFetch(ok());
    const client = tranche(fake);
    await settle(client.customers.create());
    await settle(client.customers.create());
    const [a, b] = fake.keys();
    expect(a).not.toBe(b);
  });
});

describe("what is never retried", () => {
  const cases = [
    [400, "validation_error", ValidationError],
    [400, "malformed_json", ValidationError],
    [400, "invalid_state", InvalidRequestError],
    [400, "credit_limit_exceeded", InvalidRequestError],
    [401, "invalid_api_key", AuthenticationError],
    [402, "payment_declined", PaymentDeclinedError],
    [404, "not_found", NotFoundError],
    [405, "method_not_allowed", InvalidRequestError],
    [409, "some_business_conflict", ConflictError],
    [422, "idempotency_key_reused", IdempotencyError],
  ] as const;

  it.each(cases)("%i %s: one attempt, %o", async (status, code, Class) => {
    const fake = fakeFetch(problem(status, code), ok());
    const { error } = await settle(tranche(fake).purchases.create({} as never));
    expect(fake.calls).toHaveLength(1);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status, code, requestId: "req_p", message: `detail of ${code}` });
    expect((error as TrancheError).problem?.code).toBe(code);
  });
});

describe("how often, and how long between attempts", () => {
  it("stops after maxRetries (default 2) and throws the last error", async () => {
    const fake = fakeFetch(problem(500, "internal_error"));
    const { error } = await settle(tranche(fake).customers.retrieve("cus_1"));
    expect(fake.calls).toHaveLength(3);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 500, code: "internal_error" });
  });

  it("takes maxRetries from the client and from the call", async () => {
    const none = fakeFetch(problem(503, "internal_error"));
    await settle(tranche(none, { maxRetries: 0 }).customers.retrieve("cus_1"));
    expect(none.calls).toHaveLength(1);
    const more = fakeFetch(problem(503, "internal_error"));
    await settle(tranche(more, { maxRetries: 0 }).customers.retrieve("cus_1", { maxRetries: 4 }));
    expect(more.calls).toHaveLength(5);
  });

  it("backs off exponentially, jittered within [step/2, step], capped at 8 s", async () => {
    const mid = fakeFetch(new TypeError("fetch failed"));
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    await settle(tranche(mid, { maxRetries: 6 }).customers.retrieve("cus_1"));
    expect(mid.gaps()).toEqual([375, 750, 1500, 3000, 6000, 6000]);

    const low = fakeFetch(new TypeError("fetch failed"));
    vi.spyOn(Math, "random").mockReturnValue(0);
    await settle(tranche(low, { maxRetries: 6 }).customers.retrieve("cus_1"));
    expect(low.gaps()).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });

  it("honours Retry-After in seconds and as an HTTP date, and ignores one of more than a minute", async () => {
    const seconds = fakeFetch(problem(429, "rate_limited", { "Retry-After": "3" }), ok());
    const { error } = await settle(tranche(seconds).customers.list());
    expect(error).toBeUndefined();
    expect(seconds.gaps()).toEqual([3000]);

    const date = new Date(Date.now() + 5000).toUTCString();
    const dated = fakeFetch(problem(503, "internal_error", { "Retry-After": date }), ok());
    await settle(tranche(dated).customers.list());
    expect(dated.gaps()[0]).toBeGreaterThan(4000);
    expect(dated.gaps()[0]).toBeLessThanOrEqual(5000);

    vi.spyOn(Math, "random").mockReturnValue(0);
    const long = fakeFetch(problem(429, "rate_limited", { "Retry-After": "3600" }));
    const limited = await settle(tranche(long).customers.list());
    expect(long.gaps()).toEqual([250, 500]);
    expect(limited.error).toBeInstanceOf(RateLimitError);
  });
});
