import { env } from "cloudflare:test";
import { PurchaseIdSchema, type Refund, RefundIdSchema } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { ownedId, ownerOf } from "../src/lib/ids";
import {
  call,
  callWithEnv,
  createMerchant,
  createPurchase,
  expectProblem,
  liveKeyFor,
  purchaseBody,
  settled,
  shopper,
} from "./helpers";
import { everyShardAs, fromEveryShard } from "./read-model-db";

/** A D1 whose every method throws, and which notes each time it is asked. */
function unavailableD1() {
  const asked: string[] = [];
  const down = (method: string) => () => {
    asked.push(method);
    throw new Error("D1_ERROR: database unavailable");
  };
  const db = { prepare: down("prepare"), batch: down("batch"), exec: down("exec"), dump: down("dump") };
  return { db: db as unknown as D1Database, asked };
}

describe("purchase ids", () => {
  it("name the customer who owns them, and sort by creation", async () => {
    const { key, customer, card } = await shopper();
    const first = await createPurchase(key, purchaseBody(customer.id, card.id));
    const second = await createPurchase(key, purchaseBody(customer.id, card.id));
    expect(ownerOf("pur", first.id)).toBe(customer.id);
    expect(ownerOf("pur", second.id)).toBe(customer.id);
    expect(second.id > first.id).toBe(true);
    expect(PurchaseIdSchema.safeParse(first.id).success).toBe(true);

    const refund = await call<Refund>(`/v1/purchases/${first.id}/refunds`, { key, body: { amount: 1000 } });
    expect(refund.status).toBe(201);
    expect(ownerOf("re", refund.body.id)).toBe(customer.id);
    expect(RefundIdSchema.safeParse(refund.body.id).success).toBe(true);
  });

  it("made later sort later, whoever owns them", () => {
    const owners = [
      "cus_01JDQ8Z6W2N8X4C2V7B5K9M3PA",
      "cus_00000000000000000000000000",
      "cus_ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
    ];
    const t = Date.parse("2026-12-08T00:00:00.000Z");
    const ids = owners.map((owner, i) => ownedId("pur", owner, t + i));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => ownerOf("pur", id))).toEqual(owners);
    // The smallest possible owner a millisecond later still sorts after the largest one before it.
    expect(ownedId("pur", owners[1] as string, t + 1) > ownedId("pur", owners[2] as string, t)).toBe(true);
  });

  it("that cannot exist are not owned by anyone", () => {
    const id = ownedId("pur", "cus_01JDQ8Z6W2N8X4C2V7B5K9M3PA");
    for (const bad of ["pur_nope", "pur_00000000000000000000000000", `${id}0`, id.slice(0, -1), `re_${id.slice(4)}`]) {
      expect(ownerOf("pur", bad), bad).toBeUndefined();
    }
    expect(ownerOf("pur", id.replace(/.$/, "U")), "not Crockford base32").toBeUndefined();
    expect(() => ownedId("pur", "cus_nope")).toThrow();
  });

  it("of another merchant or the other mode lead to no purchase (404)", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    const other = await createMerchant("Other");
    await expectProblem(call(`/v1/purchases/${p.id}`, { key: other.secret_key }), 404, "not_found");
    await expectProblem(call(`/v1/purchases/${p.id}/refunds`, { key: other.secret_key, body: {} }), 404, "not_found");
    const live = await liveKeyFor(merchant.id);
    await expectProblem(call(`/v1/purchases/${p.id}`, { key: live }), 404, "not_found");
    await expectProblem(call(`/v1/purchases/${p.id}/payoff`, { key: live, method: "POST" }), 404, "not_found");
    expect((await call(`/v1/purchases/${p.id}`, { key })).status).toBe(200);
  });
});

/**
 * The directory as it is, noting every statement it is asked: it holds the API keys, which the auth
 * middleware reads through a one-second cache. On a loaded machine that second can lapse between
 * two requests, so the directory stays up and the test checks that keys are all it is asked about.
 */
function watchedDirectory(db: D1Database) {
  const asked: string[] = [];
  const watched = {
    prepare: (sql: string) => {
      asked.push(sql);
      return db.prepare(sql);
    },
    batch: (statements: D1PreparedStatement[]) => {
      asked.push("batch");
      return db.batch(statements);
    },
  };
  return { db: watched as unknown as D1Database, asked };
}

describe("with D1 unavailable", () => {
  it("every command and read by purchase id still answers, without asking D1", async () => {
    const { key, customer, card } = await shopper();
    const automatic = await createPurchase(key, purchaseBody(customer.id, card.id));
    const toCapture = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const toCancel = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const init = (method: string, body?: unknown): RequestInit => ({
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        "Idempotency-Key": crypto.randomUUID(),
        ...(body !== undefined && { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // The API key is looked up once, then cached; that one lookup is the directory's, not a command's.
    // An isolate whose clock stands still, so its cache outlasts the requests however slow the machine.
    const stillAt = Date.now();
    const isolate = createApp({ now: () => stillAt });
    expect((await callWithEnv(`/v1/purchases/${automatic.id}`, init("GET"), {}, isolate)).status).toBe(200);

    const d1 = unavailableD1();
    const directory = watchedDirectory(env.DB);
    // Analytics points go to Analytics Engine here, so that nothing at all has a reason to ask D1.
    const down = { DB: directory.db, ...everyShardAs(d1.db), ANALYTICS_BACKEND: "engine" };
    const requests: [string, RequestInit, number][] = [
      [`/v1/purchases/${toCapture.id}/capture`, init("POST"), 200],
      [`/v1/purchases/${toCancel.id}/cancel`, init("POST"), 200],
      [`/v1/purchases/${automatic.id}/installments/3/extend`, init("POST", { days: 7 }), 200],
      [`/v1/purchases/${automatic.id}/installments/2/pay`, init("POST"), 200],
      [`/v1/purchases/${automatic.id}/refunds`, init("POST", { amount: 1000 }), 201],
      [`/v1/purchases/${automatic.id}/payoff`, init("POST"), 200],
      [`/v1/purchases/${automatic.id}`, init("GET"), 200],
      // A purchase is created on its customer's object, named in the body: no D1 either.
      ["/v1/purchases", init("POST", purchaseBody(customer.id, card.id)), 201],
    ];
    const answers: { path: string; status: number; expected: number; body: string }[] = [];
    for (const [path, request, status] of requests) {
      const res = await callWithEnv(path, request, down, isolate);
      answers.push({ path, status: res.status, expected: status, body: await res.text() });
    }
    expect(answers.filter((a) => a.status !== a.expected)).toEqual([]);
    expect(d1.asked).toEqual([]);
    expect(directory.asked.filter((sql) => !/\bapi_keys\b/.test(sql))).toEqual([]);
    // Whereas the list, which D1 serves, fails meanwhile: D1 was down for these requests.
    expect((await callWithEnv("/v1/purchases", init("GET"), down, isolate)).status).toBe(500);
    expect(d1.asked).not.toEqual([]);

    // The answers were the customer's object's, current: D1's read model is not consulted.
    const byId = (path: string) => JSON.parse(answers.find((a) => a.path === path)?.body ?? "{}");
    expect(byId(`/v1/purchases/${toCapture.id}/capture`).status).toBe("active");
    expect(byId(`/v1/purchases/${toCancel.id}/cancel`).status).toBe("cancelled");
    expect(byId(`/v1/purchases/${automatic.id}`).status).toBe("completed");
    // The objects kept their own D1 (their projection is theirs), so the read model catches up.
    await settled();
    const [row] = await fromEveryShard<{ status: string }>("SELECT status FROM purchases WHERE id = ?", automatic.id);
    expect(row?.status).toBe("completed");
  });
});
