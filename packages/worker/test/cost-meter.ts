import { env, runInDurableObject } from "cloudflare:test";
import { AsyncLocalStorage } from "node:async_hooks";
import { TestRunner } from "vitest";
import { ReadModel } from "../src/objects/customer/storage/read-model";

declare module "vitest" {
  interface TaskMeta {
    /** Costs a test measured, by phase, in the order published (see publish). */
    costs?: Record<string, Cost>;
    /** The projection messages of 100 pay-in-4 purchases' lives: `pnpm bench:d1` replays them. */
    projection?: { creation: unknown[]; life: unknown[] };
  }
}

/** What the platform bills a piece of work in: Durable Object calls, D1 rows written, Analytics Engine points, queue messages. */
export interface Cost {
  /** RPC calls to Durable Object stubs, by method name (each is one billed request). */
  durableObjectCalls: Record<string, number>;
  /** D1's own `meta.rows_written`: rows and index entries, the projection consumer's included. */
  d1RowsWritten: number;
  /** Statements that write (reads are not counted: the tests' own waits read D1). */
  d1Statements: number;
  /** Points written: to Analytics Engine, or to the local store that stands in for it in the tests. */
  analyticsPoints: number;
  /** Messages sent to any queue: the projection's and the webhook events'. */
  queueMessages: number;
  /**
   * Statements the Durable Objects ran on their own SQLite (only customer objects run in the
   * phases counted: see `durableObjectCalls`), reads included: CPU on the object's one thread.
   */
  sqliteStatements: number;
  /**
   * Commits of the objects' SQLite: each outermost `transactionSync`, and each write outside one
   * (which commits on its own, at the latest at the end of its turn). Each costs a flush.
   */
  sqliteTransactions: number;
}

/** A test's own probe of the read model (test/settle.ts), not work the product does. */
const PROBES = new Set(["readModelLag"]);
/** Set while an object answers that probe (`ReadModel.lag`): its SQLite reads are the test's, not the product's. */
const probing = new AsyncLocalStorage<true>();
const empty = (): Cost => ({
  durableObjectCalls: {},
  d1RowsWritten: 0,
  d1Statements: 0,
  analyticsPoints: 0,
  queueMessages: 0,
  sqliteStatements: 0,
  sqliteTransactions: 0,
});
const writes = (statements: unknown[]) =>
  statements.filter((s) => !/^\s*SELECT/i.test(String((s as { statement?: string }).statement))).length;

type Fn = (...args: unknown[]) => unknown;

/**
 * Counts the cost of everything the Worker and its objects do while metering is on. The tests'
 * Worker and its Durable Objects run in this isolate, so wrapping the bindings' prototypes sees
 * every call any of them makes; an object's SQLite and storage are reached through an object of
 * no customer's (so nothing waits on it). `stop()` puts the prototypes back.
 */
export async function meter() {
  const cost = empty();
  const restores: (() => void)[] = [];
  const wrap = (proto: Record<string, unknown>, name: string, around: (original: Fn) => Fn) => {
    const original = proto[name] as Fn;
    proto[name] = around(original);
    restores.push(() => {
      proto[name] = original;
    });
  };
  const d1Results = (results: D1Result[]) => {
    for (const r of results) cost.d1RowsWritten += r.meta.rows_written ?? 0;
  };

  wrap(
    Object.getPrototypeOf(env.DB),
    "batch",
    (batch) =>
      async function (this: unknown, statements) {
        const results = (await batch.call(this, statements)) as D1Result[];
        cost.d1Statements += writes(statements as unknown[]);
        d1Results(results);
        return results;
      },
  );
  wrap(
    Object.getPrototypeOf(env.DB.prepare("SELECT 1")),
    "run",
    (run) =>
      async function (this: unknown, ...args) {
        // The local analytics store is Analytics Engine's stand-in: its rows are points, not D1 cost.
        // Counted when written, as the sink's write does not wait for it.
        if (String((this as { statement?: string }).statement).includes("analytics_local")) {
          cost.analyticsPoints++;
          return run.apply(this, args);
        }
        const result = (await run.apply(this, args)) as D1Result;
        cost.d1Statements += writes([this]);
        d1Results([result]);
        return result;
      },
  );
  wrap(
    Object.getPrototypeOf(env.ANALYTICS),
    "writeDataPoint",
    (write) =>
      function (this: unknown, ...args) {
        cost.analyticsPoints++;
        return write.apply(this, args);
      },
  );
  wrap(
    Object.getPrototypeOf(env.WEBHOOK_EVENTS),
    "sendBatch",
    (sendBatch) =>
      function (this: unknown, ...args) {
        cost.queueMessages += (args[0] as unknown[]).length;
        return sendBatch.apply(this, args);
      },
  );
  const { sql, storage } = await runInDurableObject(
    env.CUSTOMERS.get(env.CUSTOMERS.idFromName("cost-meter")),
    (_, state) => ({
      sql: Object.getPrototypeOf(state.storage.sql),
      storage: Object.getPrototypeOf(state.storage),
    }),
  );
  let depth = 0;
  wrap(
    sql,
    "exec",
    (exec) =>
      function (this: unknown, ...args) {
        if (!probing.getStore()) {
          cost.sqliteStatements++;
          if (depth === 0 && !/^\s*SELECT/i.test(String(args[0]))) cost.sqliteTransactions++;
        }
        return exec.apply(this, args);
      },
  );
  wrap(
    storage,
    "transactionSync",
    (transactionSync) =>
      function (this: unknown, ...args) {
        if (depth === 0 && !probing.getStore()) cost.sqliteTransactions++;
        depth++;
        try {
          return transactionSync.apply(this, args);
        } finally {
          depth--;
        }
      },
  );
  wrap(
    ReadModel.prototype as unknown as Record<string, unknown>,
    "lag",
    (lag) =>
      function (this: unknown, ...args) {
        return probing.run(true, () => lag.apply(this, args));
      },
  );
  // Each namespace's stubs: every method called on one is counted under its name.
  const namespaces = new Set([env.CUSTOMERS, env.IDEMPOTENCY, env.WEBHOOK_ENDPOINTS].map(Object.getPrototypeOf));
  for (const proto of namespaces) {
    wrap(
      proto,
      "get",
      (get) =>
        function (this: unknown, ...args) {
          const stub = get.apply(this, args) as object;
          return new Proxy(stub, {
            get(target, prop) {
              const value = Reflect.get(target, prop);
              if (typeof prop !== "string" || typeof value !== "function") return value;
              return (...callArgs: unknown[]) => {
                if (!PROBES.has(prop)) cost.durableObjectCalls[prop] = (cost.durableObjectCalls[prop] ?? 0) + 1;
                return Reflect.apply(value as Fn, target, callArgs);
              };
            },
          });
        },
    );
  }
  return {
    /** The cost so far, and a fresh count from here. */
    take(): Cost {
      const taken = structuredClone(cost);
      Object.assign(cost, empty());
      return taken;
    },
    stop() {
      for (const restore of restores.reverse()) restore();
    },
  };
}

/**
 * Puts a measured cost on the running test's metadata under `phase`, before the test asserts on
 * it: `pnpm bench` (scripts/bench-costs.mjs) prints what vitest's JSON reporter carries, whether
 * or not the expected figures still hold.
 */
export function publish(phase: string, cost: Cost) {
  const meta = TestRunner.getCurrentTest()?.meta;
  if (meta) meta.costs = { ...meta.costs, [phase]: cost };
}

/** Puts a purchase-life's projection messages on the running test's metadata, for `pnpm bench:d1`. */
export function publishProjection(creation: unknown[], life: unknown[]) {
  const meta = TestRunner.getCurrentTest()?.meta;
  if (meta) meta.projection = { creation, life };
}
