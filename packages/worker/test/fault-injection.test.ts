import { runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../src/objects/customer";
import { advanceClock, books, call, customerWith, plusDays, purchaseBody } from "./helpers";

/**
 * Eviction at every await of every command that calls the processor. The object is made to throw,
 * as an eviction would, at the k-th await point of the command, for each k in turn (what it
 * committed before stays, nothing after runs); the client then retries the same request with the same Idempotency-Key. Whatever the
 * point, the books and the processor's own call log must show each thing done exactly once.
 */

type Stub = DurableObjectStub<CustomerObject>;

/** Arms the object to abort at its `k`-th await point from now (0: never); returns the points it passes. */
async function armFault(stub: Stub, k: number): Promise<void> {
  await runInDurableObject(stub, (instance: CustomerObject) => {
    let passed = 0;
    const seen: string[] = [];
    instance.faults.at = (point) => {
      seen.push(point);
      (globalThis as { lastPoints?: string[] }).lastPoints = seen;
      passed += 1;
      if (passed === k) {
        instance.faults.at = () => {};
        throw new Error(`fault injected at ${point}`);
      }
    };
  });
}

const lastPoints = () => (globalThis as { lastPoints?: string[] }).lastPoints ?? [];

interface Scenario {
  name: string;
  /** The answer a run without a fault gets, when not a success: a declined checkout's 402. */
  refused?: number;
  /** Sets up a customer and returns the request to send under one key. */
  setup(): Promise<{ key: string; stub: Stub; path: string; body?: unknown }>;
}

async function purchased(token: string, overrides: Record<string, unknown> = {}) {
  const shopper = await customerWith(token);
  const start = "2027-01-04T10:00:00.000Z";
  await advanceClock(shopper.key, shopper.customer.id, start);
  const created = await call<Purchase>("/v1/purchases", {
    key: shopper.key,
    body: purchaseBody(shopper.customer.id, shopper.card.id, overrides),
  });
  expect(created.status).toBe(201);
  return { ...shopper, purchase: created.body, start, stub: shopper.stub as Stub };
}

/** A customer on a test clock, and the request that creates a manual-capture purchase on their card. */
async function manualCheckout(token: string) {
  const s = await customerWith(token);
  await advanceClock(s.key, s.customer.id, "2027-01-04T10:00:00.000Z");
  const body = purchaseBody(s.customer.id, s.card.id, { capture: "manual" });
  return { key: s.key, stub: s.stub as Stub, path: "/v1/purchases", body };
}

const SCENARIOS: Scenario[] = [
  {
    name: "refund with cash back (a payout per paid installment)",
    async setup() {
      const s = await purchased("tok_visa");
      await advanceClock(s.key, s.customer.id, plusDays(s.start, 15)); // the second installment is paid too
      return { key: s.key, stub: s.stub, path: `/v1/purchases/${s.purchase.id}/refunds`, body: {} };
    },
  },
  {
    name: "pay an installment now",
    async setup() {
      const s = await purchased("tok_visa");
      return { key: s.key, stub: s.stub, path: `/v1/purchases/${s.purchase.id}/installments/3/pay` };
    },
  },
  {
    name: "pay the plan off",
    async setup() {
      const s = await purchased("tok_visa");
      return { key: s.key, stub: s.stub, path: `/v1/purchases/${s.purchase.id}/payoff` };
    },
  },
  {
    name: "create a purchase charged at capture",
    async setup() {
      const s = await customerWith("tok_visa");
      await advanceClock(s.key, s.customer.id, "2027-01-04T10:00:00.000Z");
      return { key: s.key, stub: s.stub as Stub, path: "/v1/purchases", body: purchaseBody(s.customer.id, s.card.id) };
    },
  },
  {
    name: "create a purchase whose charge at capture is declined (402, the purchase declined)",
    refused: 402,
    async setup() {
      const s = await customerWith("tok_insufficient_funds");
      await advanceClock(s.key, s.customer.id, "2027-01-04T10:00:00.000Z");
      return { key: s.key, stub: s.stub as Stub, path: "/v1/purchases", body: purchaseBody(s.customer.id, s.card.id) };
    },
  },
  {
    name: "capture a purchase, taking its first part from its hold",
    async setup() {
      const s = await purchased("tok_visa", { capture: "manual" });
      return { key: s.key, stub: s.stub, path: `/v1/purchases/${s.purchase.id}/capture` };
    },
  },
  {
    name: "create a manual-capture purchase, authorising its first part",
    setup: () => manualCheckout("tok_visa"),
  },
  {
    name: "create a manual-capture purchase whose authorisation is declined (402, the purchase declined)",
    refused: 402,
    setup: () => manualCheckout("tok_hard_decline"),
  },
  {
    name: "cancel a held purchase, voiding its hold",
    async setup() {
      const s = await purchased("tok_visa", { capture: "manual" });
      return { key: s.key, stub: s.stub, path: `/v1/purchases/${s.purchase.id}/cancel` };
    },
  },
];

const withoutRequestId = (body: unknown) => ({ ...(body as object), request_id: undefined });

async function send(key: string, path: string, body: unknown, idempotencyKey: string) {
  return call(path, { key, method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } });
}

/** Everything that must hold however the command was interrupted, counted by the processor's own log. */
async function expectExactlyOnce(key: string, stub: Stub) {
  const b = await books(stub);
  expect(b.total, "the ledger sums to zero").toBe(0);
  expect(new Set(b.successes).size, "no processor key took money twice").toBe(b.successes.length);
  const payoutKeys = b.refunds.map((r) => r.idempotencyKey);
  expect(new Set(payoutKeys).size, "no payout paid twice").toBe(payoutKeys.length);
  const stored = await runInDurableObject(stub, (_instance, state) => ({
    holdCalls: state.storage.sql
      .exec<{ kind: string; call: string }>(
        "SELECT kind, call FROM processor_calls WHERE kind IN ('authorise', 'void') AND attempt = 1",
      )
      .toArray()
      .map((r) => `${r.kind} ${(JSON.parse(r.call) as { result: { status: string } }).result.status}`),
    refunds: state.storage.sql
      .exec<{ cash_returned: number }>("SELECT cash_returned FROM refunds")
      .toArray()
      .map((r) => r.cash_returned),
    purchases: state.storage.sql
      .exec<{ id: string; receivable: number }>(
        `SELECT p.id, COALESCE(SUM(l.amount), 0) AS receivable FROM purchases p
         LEFT JOIN ledger l ON l.purchase_id = p.id AND l.account = 'customer_receivable' GROUP BY p.id`,
      )
      .toArray(),
  }));
  expect(stored.refunds.length, "at most one refund per key").toBeLessThanOrEqual(1);
  // Each run makes at most one manual-capture purchase: one hold, authorised and released at most once.
  const count = (what: string) => stored.holdCalls.filter((c) => c === what).length;
  expect(count("authorise authorised"), "no second hold").toBeLessThanOrEqual(1);
  expect(count("void voided"), "no hold released twice").toBeLessThanOrEqual(1);
  // Cash the refund says it returned is exactly what the processor paid back, once per payout.
  const paidBack = b.refunds.reduce((s, r) => s + r.amount, 0);
  expect(stored.refunds.reduce((s, c) => s + c, 0)).toBe(paidBack);
  for (const p of stored.purchases) {
    const purchase = await call<Purchase>(`/v1/purchases/${p.id}`, { key });
    // An uncaptured purchase (a manual capture's, held) is not owed yet: its receivable starts at capture.
    const owed = purchase.body.status === "requires_capture" ? 0 : purchase.body.amount_outstanding;
    expect(p.receivable, `the receivable of ${p.id} is what it still owes`).toBe(owed);
  }
}

describe("fault injection: eviction at every await point, then a retry with the same key", () => {
  for (const scenario of SCENARIOS) {
    // A scenario sends a request per await point and retries each: about 2 s alone, past the default 5 s on a loaded machine.
    it(scenario.name, { timeout: 20_000 }, async () => {
      // A run without a fault finds the await points and the answer to expect.
      const reference = await scenario.setup();
      await armFault(reference.stub, 0);
      const clean = await send(reference.key, reference.path, reference.body, "ref");
      if (scenario.refused) expect(clean.status, JSON.stringify(clean.body)).toBe(scenario.refused);
      else expect(clean.status, JSON.stringify(clean.body)).toBeLessThan(300);
      const points = lastPoints();
      expect(points.length, "the command passes await points").toBeGreaterThan(0);

      for (let k = 1; k <= points.length; k++) {
        const run = await scenario.setup();
        await armFault(run.stub, k);
        const key = `fault-${k}`;
        const first = await send(run.key, run.path, run.body, key).catch(() => undefined);
        const retried = await send(run.key, run.path, run.body, key);
        expect(retried.status, `after a fault at ${points[k - 1]}: ${JSON.stringify(retried.body)}`).toBe(clean.status);
        const again = await send(run.key, run.path, run.body, key);
        // A problem names its own request; the rest of it is the replay.
        expect(withoutRequestId(again.body), "the replay equals the first complete answer").toEqual(
          withoutRequestId(retried.body),
        );
        if (first && first.status < 300) expect(first.body).toEqual(retried.body);
        await expectExactlyOnce(run.key, run.stub);
      }
    });
  }
});

describe("fault injection: nobody retries", () => {
  it("leaves the recorded intent to the alarm, which sends the same request once", async () => {
    const s = await purchased("tok_visa");
    await advanceClock(s.key, s.customer.id, plusDays(s.start, 15));
    await armFault(s.stub, 1); // dies before the first payout is sent
    const path = `/v1/purchases/${s.purchase.id}/refunds`;
    expect((await send(s.key, path, {}, "refund-1")).status).toBe(500);
    expect((await books(s.stub)).refunds).toEqual([]);

    // The intent waits a minute for its command, then the alarm (here the test clock) sends it.
    const clock = await advanceClock(s.key, s.customer.id, plusDays(s.start, 15.01));
    expect(clock.ran.filter((r) => r.type === "payment").map((r) => r.outcome)).toEqual([
      "payout succeeded",
      "payout succeeded",
    ]);
    const b = await books(s.stub);
    expect(b.refunds.map((r) => r.idempotencyKey).sort()).toHaveLength(2);
    const retried = await send(s.key, path, {}, "refund-1");
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({
      status: "succeeded",
      cash_returned: b.refunds.reduce((t, r) => t + r.amount, 0),
    });
    expect((await books(s.stub)).refunds).toEqual(b.refunds);
    await expectExactlyOnce(s.key, s.stub);
  });
});

describe("fault injection: nobody retries a manual capture's authorisation", () => {
  it("leaves the committed authorisation to the alarm, which sends the same request once", async () => {
    const s = await manualCheckout("tok_visa");
    await armFault(s.stub, 1); // dies before the authorisation is sent
    expect((await send(s.key, s.path, s.body, "create-1")).status).toBe(500);

    // The hold waits a minute for its command, then the alarm (here the test clock) sends it.
    const customer = (s.body as { customer: string }).customer;
    const clock = await advanceClock(s.key, customer, plusDays("2027-01-04T10:00:00.000Z", 0.01));
    expect(clock.ran.map((r) => [r.type, r.outcome])).toEqual([["hold", "held"]]);
    const retried = await send(s.key, s.path, s.body, "create-1");
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: "requires_capture", authorization: { status: "held" } });
    const authorised = await runInDurableObject(s.stub, (_instance, state) =>
      state.storage.sql.exec("SELECT 1 FROM processor_calls WHERE kind = 'authorise' AND attempt = 1").toArray(),
    );
    expect(authorised).toHaveLength(1);
    await expectExactlyOnce(s.key, s.stub);
  });
});
