// What the strict-request tests share: a merchant with one of everything (the contract fuzz's world),
// and an assertion that a refused request left it exactly as it was, its Idempotency-Key included.
import { expect } from "vitest";
import { changed, settled, snapshot, type World } from "../contract/world";
import { call } from "../helpers";

/**
 * Runs `refused` and asserts nothing the world stores changed. Where it sent `key` as Idempotency-Key,
 * the key must still be free: a different request under it is not a 422.
 */
export async function writesNothing(world: World, refused: () => Promise<void>, key?: string): Promise<void> {
  const before = await snapshot(world);
  await refused();
  expect(changed(before, await snapshot(world))).toEqual([]);
  if (key) {
    const reuse = await call("/v1/customers", {
      key: world.key,
      headers: { "Idempotency-Key": key },
      body: { email: "other@example.com" },
    });
    expect(reuse.status, JSON.stringify(reuse.body)).toBe(201);
    // The new customer's projection must not land in the next test's snapshot.
    await settled(world);
  }
}
