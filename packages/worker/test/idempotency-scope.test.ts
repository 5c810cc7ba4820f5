// Where an Idempotency-Key is kept (issue 19, docs/api.md): a customer command's key by that customer's
// object alone, with no other object asked first; a customer's creation's key also by its
// IdempotencyObject shard (whose first-seen time gives the new customer its id); every other POST's by the shard.
import { env, runInDurableObject } from "cloudflare:test";
import { type Customer, type Purchase, PurchaseCreateParamsSchema, type Refund } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/crypto";
import { idempotencyShard } from "../src/middleware/idempotency";
import type { CustomerObject } from "../src/objects/customer";
import {
  ADMIN_TOKEN,
  attachCard,
  call,
  createCustomer,
  createPurchase,
  expectProblem,
  purchaseBody,
  shopper,
} from "./helpers";

/** How many rows of `table` the customer's object holds. */
const stored = (merchant: string, customer: string, table: "purchases" | "refunds") =>
  runInDurableObject(
    env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant}:${customer}`)),
    (_instance, state) => state.storage.sql.exec(`SELECT COUNT(*) AS n FROM ${table}`).one().n,
  );

const replayed = (r: { res: Response }) => r.res.headers.get("Idempotent-Replayed") === "true";

describe("a customer command's Idempotency-Key is its customer's", () => {
  it("reused for another customer's command, runs there as that customer's own command", async () => {
    const { key, merchant, customer, card } = await shopper();
    const other = await createCustomer(key);
    const otherCard = await attachCard(key, other.id);
    const headers = { "Idempotency-Key": "one-order" };
    const mine = purchaseBody(customer.id, card.id);
    const theirs = purchaseBody(other.id, otherCard.id);
    const first = await call<Purchase>("/v1/purchases", { key, body: mine, headers });
    const second = await call<Purchase>("/v1/purchases", { key, body: theirs, headers });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(replayed(second)).toBe(false);
    expect(second.body.customer).toBe(other.id);
    // Each customer's object replays its own command under the key.
    const again = await call<Purchase>("/v1/purchases", { key, body: mine, headers });
    const theirsAgain = await call<Purchase>("/v1/purchases", { key, body: theirs, headers });
    expect([again.body.id, theirsAgain.body.id]).toEqual([first.body.id, second.body.id]);
    expect([replayed(again), replayed(theirsAgain)]).toEqual([true, true]);
    expect(await stored(merchant.id, customer.id, "purchases")).toBe(1);
    expect(await stored(merchant.id, other.id, "purchases")).toBe(1);
  });

  it("creates a customer when reused to; a creation's key is then that customer's", async () => {
    const { key, customer, card } = await shopper();
    const headers = { "Idempotency-Key": "order-7" };
    expect((await call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id), headers })).status).toBe(201);
    const created = await call<Customer>("/v1/customers", { key, body: {}, headers });
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(customer.id);
    // Retried, the creation lands on the same customer and replays.
    const retried = await call<Customer>("/v1/customers", { key, body: {}, headers });
    expect(retried.body.id).toBe(created.body.id);
    expect(replayed(retried)).toBe(true);
    // Used for another command of the customer it created, the key is refused: the object has its record.
    const card2 = await attachCard(key, created.body.id);
    await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(created.body.id, card2.id), headers }),
      422,
      "idempotency_key_reused",
    );
    // And used to create a customer with another body, or a webhook endpoint, the shard refuses it.
    await expectProblem(call("/v1/customers", { key, body: { name: "B" }, headers }), 422, "idempotency_key_reused");
    await expectProblem(
      call("/v1/webhook_endpoints", { key, body: { url: "https://example.com/h", enabled_events: ["*"] }, headers }),
      422,
      "idempotency_key_reused",
    );
  });

  it("refuses a different request sent under the same key while the first still runs", async () => {
    const { merchant, customer, card } = await shopper();
    const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant.id}:${customer.id}`));
    const command = (amount: number) => ({
      caller: { merchantId: merchant.id, livemode: false },
      idempotency: { key: "twice-at-once", fingerprint: `amount ${amount}` },
      traceId: "0".repeat(32),
      params: PurchaseCreateParamsSchema.parse(purchaseBody(customer.id, card.id, { amount })),
    });
    // Both sent in one turn: the second arrives while the first awaits its charge.
    const [first, second, again] = await runInDurableObject(stub, (instance: CustomerObject) =>
      Promise.all([
        instance.createPurchase(command(12000)),
        instance.createPurchase(command(9000)),
        instance.createPurchase(command(12000)),
      ]),
    );
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: false, code: "idempotency_key_reused" });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await stored(merchant.id, customer.id, "purchases")).toBe(1);
  });

  it("sent again while a command by purchase id runs, waits for it and replays it", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    const headers = { "Idempotency-Key": "refund-once" };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call<Refund>(`/v1/purchases/${p.id}/refunds`, { key, body: { amount: 1000 }, headers }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter(replayed)).toHaveLength(9);
    expect(await stored(merchant.id, customer.id, "refunds")).toBe(1);
  });
});

describe("the IdempotencyObject shard", () => {
  /** Puts `key` in flight in its shard, as a first request of `body` to `path` would. */
  async function inFlight(scope: string, key: string, path: string, body: unknown) {
    const fingerprint = await sha256Hex(`POST ${path}\n${JSON.stringify(body)}`);
    expect(await idempotencyShard(env, scope, key).begin(key, fingerprint)).toMatchObject({ kind: "proceed" });
  }

  it("is not asked by a customer command: a key it holds in flight does not hold the command up", async () => {
    const { key, merchant, customer, card } = await shopper();
    const body = purchaseBody(customer.id, card.id);
    await inFlight(`${merchant.id}:test`, "k", "/v1/purchases", body);
    const created = await call<Purchase>("/v1/purchases", { key, body, headers: { "Idempotency-Key": "k" } });
    expect(created.status).toBe(201);
  });

  it("answers a duplicate of a webhook endpoint's or an admin request still running with 409", async () => {
    const { key, merchant } = await shopper();
    const endpoint = { url: "https://example.com/hooks", enabled_events: ["purchase.created"] };
    await inFlight(`${merchant.id}:test`, "hook", "/v1/webhook_endpoints", endpoint);
    await expectProblem(
      call("/v1/webhook_endpoints", { key, body: endpoint, headers: { "Idempotency-Key": "hook" } }),
      409,
      "idempotency_key_in_use",
    );
    const name = { name: "Still running" };
    await inFlight("admin", "new-merchant", "/v1/merchants", name);
    await expectProblem(
      call("/v1/merchants", { key: ADMIN_TOKEN, body: name, headers: { "Idempotency-Key": "new-merchant" } }),
      409,
      "idempotency_key_in_use",
    );
  });
});
