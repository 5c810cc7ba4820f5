import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APIError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  RateLimitError,
  TimeoutError,
  Tranche,
  TrancheError,
  ValidationError,
} from "../../src";

type Answer = Response | Error | "hang";

/** A fetch that gives `answers` in turn (the last one from then on) and records every call. */
function fakeFetch(...answers: Answer[]) {
  const calls: { url: string; init: RequestInit; at: number }[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init, at: Date.now() });
    const answer = answers[Math.min(calls.length, answers.length) - 1];
    if (answer === "hang") {
      // Like a real fetch that gets no answer: only its signal ends it.
      return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    }
    if (answer instanceof Error) throw answer;
    if (!answer) throw new Error("fakeFetch: no answer");
    return answer.clone();
  };
  const header = (i: number, name: string) => (calls[i]?.init.headers as Record<string, string> | undefined)?.[name];
  return {
    fetch,
    calls,
    header,
    keys: () => calls.map((_, i) => header(i, "Idempotency-Key")),
    gaps: () => calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0)),
  };
}

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      type: `/docs/errors#${code}`,
      title: code,
      status,
      detail: `detail of ${code}`,
      code,
      request_id: "req_p",
    }),
    { status, headers: { "Content-Type": "application/problem+json", ...headers } },
  );
const ok = (body: unknown = { id: "cus_1", object: "customer" }) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

const tranche = (fake: ReturnType<typeof fakeFetch>, options = {}) =>
  new Tranche("sk_test_key", { baseUrl: "https://api.test/", fetch: fake.fetch, ...options });

/** Runs the call to its end with fake timers, returning its value or its error. */
async function settle<T>(call: PromiseLike<T>): Promise<{ value?: T; error?: unknown }> {
  const result = Promise.resolve(call).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return result;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

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

describe("timeouts and abort signals", () => {
  it("aborts an attempt at the timeout, retries it, and throws a TimeoutError", async () => {
    const fake = fakeFetch("hang");
    const { error } = await settle(tranche(fake, { timeout: 1000, maxRetries: 1 }).customers.retrieve("cus_1"));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ status: undefined, code: undefined, requestId: undefined });
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls.every((c) => c.init.signal?.aborted)).toBe(true);
  });

  it("takes the timeout from the call, and a timely answer is not cut", async () => {
    const fake = fakeFetch("hang", ok());
    const { value } = await settle(tranche(fake).customers.retrieve("cus_1", { timeout: 50 }));
    expect(value).toBeDefined();
    expect(fake.calls[1]?.at).toBeGreaterThanOrEqual(50);
    expect(fake.calls[1]?.init.signal?.aborted).toBe(false);
  });

  it("stops at once, without a retry, when the caller aborts during an attempt", async () => {
    const fake = fakeFetch("hang");
    const controller = new AbortController();
    const call = settle(tranche(fake).customers.create({}, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("user went away"));
    const { error } = await call;
    expect(error).toEqual(new Error("user went away"));
    expect(error).not.toBeInstanceOf(TrancheError);
    expect(fake.calls).toHaveLength(1);
  });

  it("stops during the wait between attempts, and sends nothing when already aborted", async () => {
    const fake = fakeFetch(problem(500, "internal_error"));
    const controller = new AbortController();
    const call = Promise.resolve(tranche(fake).customers.list({}, { signal: controller.signal })).catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(((await call) as Error).name).toBe("AbortError");
    await vi.runAllTimersAsync();
    expect(fake.calls).toHaveLength(1);

    const none = fakeFetch(ok());
    const { error } = await settle(tranche(none).customers.retrieve("cus_1", { signal: AbortSignal.abort() }));
    expect((error as Error).name).toBe("AbortError");
    expect(none.calls).toHaveLength(0);
  });
});

describe("requests", () => {
  it("sends the key, JSON bodies, encoded paths and query strings; no Idempotency-Key on GET", async () => {
    const fake = fakeFetch(ok({ object: "list", data: [], has_more: false }));
    const client = tranche(fake);
    await settle(client.purchases.list({ customer: "cus_1", limit: 5, "created[gte]": "2026-01-01T00:00:00Z" }));
    expect(fake.calls[0]?.url).toBe(
      "https://api.test/v1/purchases?customer=cus_1&limit=5&created%5Bgte%5D=2026-01-01T00%3A00%3A00Z",
    );
    expect(fake.calls[0]?.init.method).toBe("GET");
    expect(fake.header(0, "Authorization")).toBe("Bearer sk_test_key");
    expect(fake.header(0, "Idempotency-Key")).toBeUndefined();

    await settle(client.purchases.installments.extend("pur/1?x", 2, { days: 7 }));
    expect(fake.calls[1]?.url).toBe("https://api.test/v1/purchases/pur%2F1%3Fx/installments/2/extend");
    expect(fake.header(1, "Content-Type")).toBe("application/json");
    expect(fake.calls[1]?.init.body).toBe('{"days":7}');

    await settle(client.purchases.capture("pur_1"));
    expect(fake.calls[2]?.init.body).toBeUndefined();
    expect(fake.header(2, "Content-Type")).toBeUndefined();
  });

  it("reads the request id from the header when the body is not a problem", async () => {
    const fake = fakeFetch(new Response("<html>oops</html>", { status: 500, headers: { "Request-Id": "req_h" } }));
    const { error } = await settle(tranche(fake, { maxRetries: 0 }).customers.list());
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 500, code: undefined, requestId: "req_h", problem: undefined });
  });

  it("uses global fetch when none is given, and wants a key", async () => {
    const fake = fakeFetch(ok());
    vi.stubGlobal("fetch", fake.fetch);
    await settle(new Tranche("sk_test_key").customers.retrieve("cus_1"));
    expect(fake.calls[0]?.url).toBe("http://localhost:8787/v1/customers/cus_1");
    expect(() => new Tranche("")).toThrow(TypeError);
  });

  it("pages lazily: nothing is sent until the list is awaited or iterated, and only once", async () => {
    const fake = fakeFetch(
      ok({ object: "list", data: [{ id: "b" }, { id: "a" }], has_more: true }),
      ok({ object: "list", data: [{ id: "z" }], has_more: false }),
    );
    const list = tranche(fake).customers.list({ limit: 2 });
    expect(fake.calls).toHaveLength(0);
    const page = await list;
    const ids: string[] = [];
    for await (const c of list) ids.push(c.id);
    expect(ids).toEqual(["b", "a", "z"]);
    expect(page.data).toHaveLength(2);
    expect(fake.calls.map((c) => c.url)).toEqual([
      "https://api.test/v1/customers?limit=2",
      "https://api.test/v1/customers?limit=2&starting_after=a",
    ]);
  });
});

describe("CSV exports", () => {
  const csv = () =>
    new Response("period,captured\r\n2027-02,12000\r\n", { status: 200, headers: { "Content-Type": "text/csv" } });

  it("asks for text/csv and returns the text, after retrying a 5xx like any GET", async () => {
    const fake = fakeFetch(problem(503, "internal_error"), csv());
    const { value: text } = await settle(
      tranche(fake).reports.settlements({ from: "2027-02-01", to: "2027-03-01", format: "csv" }),
    );
    expect(text).toBe("period,captured\r\n2027-02,12000\r\n");
    expect(fake.calls).toHaveLength(2);
    expect(fake.header(1, "Accept")).toBe("text/csv");
    expect(fake.calls[1]?.url).toBe("https://api.test/v1/reports/settlements?from=2027-02-01&to=2027-03-01&format=csv");
  });

  it("streams an export, and a problem before it starts still throws its error class", async () => {
    const stream = await tranche(fakeFetch(csv())).reports.stream("aging");
    expect(await new Response(stream).text()).toBe("period,captured\r\n2027-02,12000\r\n");
    await expect(
      tranche(fakeFetch(problem(400, "validation_error"))).reports.stream("settlements", { from: "x", to: "y" }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
