import { runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import type { SimulatorCall } from "../src/processor/simulator-store";
import { advanceClock, call, customerWith, purchaseBody } from "./helpers";

/** What the tests of manual captures' holds share (authorisation-holds*.test.ts). */

export const START = "2027-05-03T09:00:00.000Z";

/** The processor's log of one customer: every call, replays and retries included. */
export const processorCalls = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ call: string }>("SELECT call FROM processor_calls ORDER BY seq")
      .toArray()
      .map((r) => JSON.parse(r.call) as SimulatorCall),
  );

/** The calls of one kind, as `<key> <outcome>` (replays marked). */
export async function callsOf(stub: DurableObjectStub, kind: SimulatorCall["kind"]): Promise<string[]> {
  return (await processorCalls(stub))
    .filter((c) => c.kind === kind)
    .map((c) => `${c.request.idempotencyKey} ${c.result.status}${c.idempotency === "replay" ? " (replay)" : ""}`);
}

/** A customer on a test clock at START with a card of `token`, and a manual purchase of theirs. */
export async function held(token = "tok_visa", overrides: Record<string, unknown> = {}) {
  const shop = await customerWith(token);
  await advanceClock(shop.key, shop.customer.id, START);
  const body = purchaseBody(shop.customer.id, shop.card.id, { capture: "manual", ...overrides });
  const created = await call<Purchase>("/v1/purchases", { key: shop.key, body });
  return { ...shop, created };
}

export const post = (key: string, path: string, idempotencyKey: string, body?: unknown) =>
  call<Purchase>(path, { key, method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } });
