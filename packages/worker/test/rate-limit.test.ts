// The per-key rate limit, on the rate-limit project's low limits (test/rate-limit-config.ts): the
// Workers rate-limiting binding as Miniflare emulates it, with windows aligned to the wall clock.
import type { ApiKeyWithSecret } from "@tranche/shared";
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, createMerchant, expectProblem, liveKeyFor } from "./helpers";
import { LOW_LIMITS, LOW_PERIOD_SECONDS } from "./rate-limit-config";
import { freshWindow } from "./rate-limit-window";

const list = (key: string) => call("/v1/customers", { key });

async function statuses(key: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await list(key)).status);
  return out;
}

describe("rate limit per API key", () => {
  // Every test's requests fall in one window, so a count never straddles a reset.
  beforeEach(() => freshWindow(LOW_PERIOD_SECONDS));

  it("refuses nothing under the limit", async () => {
    const { secret_key } = await createMerchant();
    expect(await statuses(secret_key, LOW_LIMITS.test)).toEqual(Array(LOW_LIMITS.test).fill(200));
  });

  it("answers 429 rate_limited with Retry-After past the limit, and neither runs nor stores the request", async () => {
    const { secret_key } = await createMerchant();
    await statuses(secret_key, LOW_LIMITS.test);
    const headers = { "Idempotency-Key": `late-${crypto.randomUUID()}` };
    const refused = call("/v1/customers", { key: secret_key, headers, body: { email: "late@example.com" } });
    const problem = await expectProblem(refused, 429, "rate_limited");
    expect((await refused).res.headers.get("Retry-After")).toBe(String(LOW_PERIOD_SECONDS));
    expect(problem.detail).toContain(`${LOW_PERIOD_SECONDS} seconds`);
    // After Retry-After the key is admitted, and its Idempotency-Key was never pinned to the refused
    // body: another body under it is a new request (201), not a reuse (422).
    await freshWindow(LOW_PERIOD_SECONDS, LOW_PERIOD_SECONDS);
    const later = await call("/v1/customers", { key: secret_key, headers, body: { email: "other@example.com" } });
    expect(later.status).toBe(201);
  }, 30_000);

  it("counts each key on its own: another key of the same merchant, and its live key, are unaffected", async () => {
    const merchant = await createMerchant();
    const second = await call<ApiKeyWithSecret>(`/v1/merchants/${merchant.id}/keys`, {
      key: ADMIN_TOKEN,
      body: { mode: "test" },
    });
    const live = await liveKeyFor(merchant.id);
    await statuses(merchant.secret_key, LOW_LIMITS.test + 1);
    expect((await list(merchant.secret_key)).status).toBe(429);
    expect((await list(second.body.secret_key)).status).toBe(200);
    expect((await list(live)).status).toBe(200);
  });

  it("gives live mode its own limit", async () => {
    const merchant = await createMerchant();
    const live = await liveKeyFor(merchant.id);
    expect(await statuses(live, LOW_LIMITS.live + 1)).toEqual([...Array(LOW_LIMITS.live).fill(200), 429]);
  });

  it("never counts the admin surface, health or docs", async () => {
    const many = LOW_LIMITS.test * 2;
    for (let i = 0; i < many; i++) {
      expect((await call("/v1/merchants", { key: ADMIN_TOKEN, body: { name: `M${i}` } })).status).toBe(201);
      expect((await call("/health")).status).toBe(200);
      expect((await call("/openapi.json")).status).toBe(200);
    }
  });
});
