// The request policy's tests (request-policy, requests) call the client through a fake fetch under
// fake timers: these are that fetch, its canned answers and the timer plumbing.
import { afterEach, beforeEach, vi } from "vitest";
import { Tranche } from "../../src";

export type Answer = Response | Error | "hang";

/** A fetch that gives `answers` in turn (the last one from then on) and records every call. */
export function fakeFetch(...answers: Answer[]) {
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

export const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
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
export const ok = (body: unknown = { id: "cus_1", object: "customer" }) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

export const tranche = (fake: ReturnType<typeof fakeFetch>, options = {}) =>
  new Tranche("sk_test_key", { baseUrl: "https://api.test/", fetch: fake.fetch, ...options });

/** Runs the call to its end with fake timers, returning its value or its error. */
export async function settle<T>(call: PromiseLike<T>): Promise<{ value?: T; error?: unknown }> {
  const result = Promise.resolve(call).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return result;
}

/** Fake timers for every test of the calling file, and every mock undone after each. */
export function useFakeTimers() {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}
