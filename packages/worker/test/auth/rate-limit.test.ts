// Unknown API keys are counted per client address (CF-Connecting-IP) on the rate-limit project's low
// limits (test/rate-limit-config.ts): past the budget an address gets 429 before its keys cost a
// directory query, while a known key from another address is unaffected (issue 20).
import { beforeEach, describe, expect, it } from "vitest";
import { call, createMerchant, expectProblem } from "../helpers";
import { LOW_LIMITS, LOW_PERIOD_SECONDS } from "../rate-limit-config";
import { freshWindow } from "../rate-limit-window";

const unknownKey = () => `sk_test_${crypto.randomUUID().replaceAll("-", "")}`;
const from = (address: string, key: string) => call("/v1/customers", { key, headers: { "CF-Connecting-IP": address } });
const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

describe("unknown API keys, per client address", () => {
  beforeEach(() => freshWindow(LOW_PERIOD_SECONDS));

  it("are refused 401 within the budget, then 429 with Retry-After, even for a known key from there", async () => {
    const attacker = address();
    const statuses: number[] = [];
    for (let i = 0; i < LOW_LIMITS.unknownKeys + 2; i++) statuses.push((await from(attacker, unknownKey())).status);
    expect(statuses).toEqual([...Array(LOW_LIMITS.unknownKeys).fill(401), 429, 429]);
    const refused = from(attacker, unknownKey());
    const problem = await expectProblem(refused, 429, "rate_limited");
    expect(problem.detail).toContain("unknown API keys");
    expect((await refused).res.headers.get("Retry-After")).toBe(String(LOW_PERIOD_SECONDS));
    // Refused before the lookup: a key the directory knows, never seen here, is refused from there too.
    const { secret_key } = await createMerchant();
    expect((await from(attacker, secret_key)).status).toBe(429);
  });

  it("leave a known key from another address alone", async () => {
    const { secret_key } = await createMerchant();
    const attacker = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < LOW_LIMITS.unknownKeys + 2; i++) await from(attacker, unknownKey());
    expect((await from(attacker, unknownKey())).status).toBe(429);
    expect((await from("192.0.2.10", secret_key)).status).toBe(200);
    // A malformed key costs no lookup and is refused as malformed whatever the address.
    await expectProblem(from(attacker, "sk_test_short"), 401, "invalid_api_key");
  });
});
