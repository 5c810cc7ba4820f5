// The client's retry on 429 against the Worker's own rate limiter (the rate-limit project's low
// limits, packages/worker/test/rate-limit-config.ts), not a fake fetch.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOW_LIMITS, LOW_PERIOD_SECONDS } from "../../../worker/test/rate-limit-config";
import { freshWindow } from "../../../worker/test/rate-limit-window";
import { RateLimitError } from "../../src";
import { admin, client, rejection } from "./helpers";

/** A new merchant's client whose every answer's status and time is recorded. */
async function watchedMerchant(maxRetries: number) {
  const merchant = await admin.merchants.create({ name: "Busy Shop" });
  const answers: { status: number; retryAfter: string | null; at: number }[] = [];
  const tranche = client(merchant.secret_key, {
    maxRetries,
    fetch: async (url, init) => {
      const res = await SELF.fetch(url, init);
      answers.push({ status: res.status, retryAfter: res.headers.get("Retry-After"), at: Date.now() });
      return res;
    },
  });
  return { tranche, answers };
}

describe("rate limiting through the SDK", () => {
  it("retries a 429 after its Retry-After and then succeeds", async () => {
    await freshWindow(LOW_PERIOD_SECONDS);
    const { tranche, answers } = await watchedMerchant(2);
    for (let i = 0; i < LOW_LIMITS.test; i++) await tranche.customers.create({ email: `c${i}@example.com` });
    const customer = await tranche.customers.create({ email: "one-more@example.com" });
    expect(customer.email).toBe("one-more@example.com");
    expect(answers.map((a) => a.status)).toEqual([...Array(LOW_LIMITS.test).fill(201), 429, 201]);
    const [refused, retried] = answers.slice(-2);
    expect(refused?.retryAfter).toBe(String(LOW_PERIOD_SECONDS));
    // It waited the whole Retry-After (the clock here moves with I/O, so allow a little slack).
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(LOW_PERIOD_SECONDS * 1000 - 50);
  }, 30_000);

  it("gives up with RateLimitError when retries are off", async () => {
    await freshWindow(LOW_PERIOD_SECONDS);
    const { tranche, answers } = await watchedMerchant(0);
    for (let i = 0; i < LOW_LIMITS.test; i++) await tranche.customers.list();
    await rejection(tranche.customers.list(), RateLimitError, 429, "rate_limited");
    expect(answers.at(-1)?.retryAfter).toBe(String(LOW_PERIOD_SECONDS));
  });
});
