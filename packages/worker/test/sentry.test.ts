import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { createTransport } from "@sentry/cloudflare";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app";
import { instrumentHandlers, instrumentObject, type SentryOptions, sentryOptions } from "../src/lib/sentry";
import { CustomerObject } from "../src/objects/customer";
import { shards } from "../src/shards";
import { ADMIN_TOKEN, createMerchant, createPurchase, customerWith, fallDueNow, purchaseBody } from "./helpers";
import { TRACE_ID, TRACEPARENT } from "./observability-kit";
import { everyShardAs } from "./read-model-db";

const DSN = "https://public@o1.ingest.sentry.io/1";

interface SentryEvent {
  type?: string;
  release?: string;
  tags?: Record<string, string>;
  exception?: { values: { value: string }[] };
}

/**
 * Sentry's options with a transport that records the error events it is given instead of sending
 * them. One recorder serves the tests that send: in one isolate Sentry may hand an invocation's
 * event to a client an earlier invocation set up, so each test finds its own events by content.
 */
function recordingSentry() {
  const events: SentryEvent[] = [];
  const options = vi.fn<SentryOptions>((e) => ({
    ...sentryOptions(e),
    transport: (transportOptions) =>
      createTransport(transportOptions, async (request) => {
        const body = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
        // An envelope: a header line, then an item header and its payload per item.
        const lines = body.split("\n").filter(Boolean);
        for (let i = 1; i + 1 < lines.length; i += 2) {
          if (JSON.parse(lines[i] as string).type === "event") events.push(JSON.parse(lines[i + 1] as string));
        }
        return { statusCode: 200 };
      }),
  }));
  return { events, options };
}

/** The Worker's handlers as index.ts builds them, with the recording options; a sweep and a fan-out that fail. */
function worker(options: SentryOptions) {
  const app = createApp();
  return instrumentHandlers(
    {
      fetch: (request, e, ctx) => app.fetch(request, e, ctx),
      scheduled: async () => {
        throw new Error("sweep failed");
      },
      queue: async () => {
        throw new Error("fan-out failed");
      },
    },
    options,
  );
}

async function fetchWith(handlers: ReturnType<typeof worker>, e: Env, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  // As the runtime hands it to the Worker: an incoming request's type.
  const request = new Request(`http://tranche.test${path}`, init) as Request<unknown, IncomingRequestCfProperties>;
  const res = await handlers.fetch(request, e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/**
 * A read-model shard that answers everything but the purchases list: the list's route fails as an
 * outage would fail it. A plain object rather than a proxy of a binding, which Sentry's D1
 * instrumentation would patch.
 */
const failingList = {
  prepare(sql: string) {
    if (/from "purchases"/i.test(sql)) throw new Error("D1 is down");
    return env.DB.prepare(sql);
  },
  batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
} as unknown as D1Database;

const { events, options } = recordingSentry();
// Sentry instruments the D1 bindings in place (own methods on env.DB and each shard); the runtime is
// shared with the other test files, whose cost meter wraps D1's prototype, so this file puts them back.
const bindings = [env.DB, ...shards(env)].map((db) => db as unknown as Record<string, unknown>);
const ownBefore = bindings.map((db) => new Set(Object.keys(db)));
afterAll(() => {
  for (const [i, db] of bindings.entries()) {
    for (const name of Object.keys(db)) if (!ownBefore[i]?.has(name)) delete db[name];
  }
});
const errors = (message: string) => events.filter((e) => e.exception?.values[0]?.value === message);

describe("Sentry", () => {
  it("gets a 5xx with its request id, trace id, merchant and route; never a client's 4xx", async () => {
    const handlers = worker(options);
    const merchant = await createMerchant();
    const failing = await fetchWith(
      handlers,
      { ...env, SENTRY_DSN: DSN, ...everyShardAs(failingList) },
      "/v1/purchases",
      {
        headers: { Authorization: `Bearer ${merchant.secret_key}`, traceparent: TRACEPARENT },
      },
    );
    expect(failing.status).toBe(500);
    await vi.waitFor(() => expect(errors("D1 is down")).toHaveLength(1));
    // The release is the deployed version: the [version_metadata] binding's id.
    expect(env.CF_VERSION_METADATA.id).toBeTruthy();
    expect(errors("D1 is down")[0]?.release).toBe(env.CF_VERSION_METADATA.id);
    expect(errors("D1 is down")[0]?.tags).toEqual({
      request_id: failing.headers.get("Request-Id"),
      trace_id: TRACE_ID,
      merchant_id: merchant.id,
      route: "/v1/purchases",
    });
    // The key that authorised the request is nowhere in what Sentry got.
    expect(JSON.stringify(events)).not.toContain(merchant.secret_key);

    const refused = await fetchWith(handlers, { ...env, SENTRY_DSN: DSN }, "/v1/merchants", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ nonsense: 1 }),
    });
    expect(refused.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toHaveLength(1);
  });

  it("gets what the cron sweep and the queue consumer throw", async () => {
    const handlers = worker(options);
    const withDsn = { ...env, SENTRY_DSN: DSN };
    const ctx = createExecutionContext();
    await expect(handlers.scheduled(createScheduledController(), withDsn, ctx)).rejects.toThrow("sweep failed");
    await expect(handlers.queue(createMessageBatch("tranche-webhook-events", []), withDsn, ctx)).rejects.toThrow(
      "fan-out failed",
    );
    await waitOnExecutionContext(ctx);
    await vi.waitFor(() =>
      expect([errors("sweep failed"), errors("fan-out failed")].map((e) => e.length)).toEqual([1, 1]),
    );
  });

  it("without a DSN, never runs: its options are never even asked for", async () => {
    const { events, options } = recordingSentry();
    const handlers = worker(options);
    const merchant = await createMerchant();
    const res = await fetchWith(
      handlers,
      { ...env, SENTRY_DSN: undefined, ...everyShardAs(failingList) },
      "/v1/purchases",
      {
        headers: { Authorization: `Bearer ${merchant.secret_key}` },
      },
    );
    expect(res.status).toBe(500);
    const bare = { ...env, SENTRY_DSN: undefined };
    const ctx = createExecutionContext();
    await expect(handlers.scheduled(createScheduledController(), bare, ctx)).rejects.toThrow("sweep failed");
    await expect(handlers.queue(createMessageBatch("tranche-webhook-events", []), bare, ctx)).rejects.toThrow();
    const Instrumented = instrumentObject(CustomerObject, options);
    const { stub } = await customerWith();
    await runInDurableObject(stub, (_i, state) => {
      const object = new Instrumented(state, bare);
      // Sentry wraps an object's alarm and fetch on the instance itself: this one has its class's own.
      expect(Object.hasOwn(object, "alarm")).toBe(false);
      expect(object.alarm).toBe(CustomerObject.prototype.alarm);
    });
    expect(options).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  it("gets a customer object's failing alarm, with the run's trace id and the customer", async () => {
    const { key, customer, card, stub } = await customerWith("tok_visa");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    const failed = await runInDurableObject(stub, async (_i, state) => {
      fallDueNow(state.storage.sql, p.id, 2);
      const object = new (instrumentObject(CustomerObject, options))(state, { ...env, SENTRY_DSN: DSN });
      object.faults.at = (point) => {
        if (point === "due_charge:before") throw new Error("processor unreachable");
      };
      return object.alarm().then(
        () => "ran",
        (error: Error) => error.message,
      );
    });
    expect(failed).toBe("processor unreachable");
    await vi.waitFor(() => expect(errors("processor unreachable")).toHaveLength(1));
    const [reported] = errors("processor unreachable");
    expect(reported?.tags).toMatchObject({ customer_id: customer.id });
    expect(reported?.tags?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
