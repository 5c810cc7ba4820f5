import { describe, expect, inject, it } from "vitest";
import { RECIPES } from "../../src/trigger/recipes";
import { envFor, tranche } from "./cli";
import { ADMIN_TOKEN, merchantKey } from "./worker";

const base = inject("base");

/** How many events of `type` the merchant has, once the read model has them (it lags by a batch). */
async function eventsOf(key: string, type: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${base}/v1/events?type=${type}`, { headers: { Authorization: `Bearer ${key}` } });
    const count = ((await res.json()) as { data: unknown[] }).data.length;
    if (count > 0) return count;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 0;
}

describe("tranche trigger", () => {
  for (const type of Object.keys(RECIPES)) {
    it(`produces ${type}`, async () => {
      // A merchant of its own: the event can only come from this trigger.
      const key = await merchantKey(base);
      // The admin token serves only the operator's recipes (purchase.written_off).
      const run = await tranche(["trigger", type, "--json"], {
        ...envFor(base, key),
        TRANCHE_ADMIN_TOKEN: ADMIN_TOKEN,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ type });
      expect(await eventsOf(key, type), run.stdout).toBeGreaterThan(0);
    });
  }

  it("names what it cannot trigger, and why, and exits 2", async () => {
    const run = await tranche(["trigger", "webhook_endpoint.failing"], envFor(base, "sk_test_unused"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/real time/);
    const operator = await tranche(["trigger", "purchase.written_off"], envFor(base, "sk_test_unused"));
    expect(operator.code).toBe(2);
    expect(operator.stderr).toMatch(/--admin-token/);
  });
});
