// What the client sends, its timeouts and abort signals, and CSV exports, against injected fetches
// (the retry policy: request-policy.test.ts).
import { describe, expect, it, vi } from "vitest";
import { APIError, ConnectionError, TimeoutError, Tranche, TrancheError, ValidationError } from "../../src";
import { fakeFetch, ok, problem, settle, tranche, useFakeTimers } from "./request-kit";

useFakeTimers();

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
