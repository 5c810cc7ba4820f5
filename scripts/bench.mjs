#!/usr/bin/env node
// `pnpm bench`: starts the Worker on wrangler dev and measures, in the same run and on the same
// server, a bare Hono route (no middleware), two floors (one Durable Object write; one Durable
// Object write and one D1 write; nothing else), POST /v1/purchases (auth, idempotency, the
// customer's Durable Object, the projection), how fast those purchases reach the read model and
// how stale the purchase list is under that load, the same purchases for a merchant with one
// subscribed webhook endpoint, the webhook deliveries a local receiver gets, and due charges; then
// what one purchase costs as test/purchase-cost.test.ts counts it. Rates are reported as ratios to
// the bare route: absolute numbers on shared 2-core machines drift. Results also go to
// bench/results/latest.json.
import { rmSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { client, pool, purchaseBody, shop } from "./bench-client.mjs";
import { measureCosts } from "./bench-costs.mjs";
import { projectedCount, projectedRate, startFreshnessProber } from "./bench-projection.mjs";
import { startReceiver } from "./bench-receiver.mjs";
import { report } from "./bench-summary.mjs";
import { attachTail } from "./bench-tail.mjs";
import { migrate, root, startWrangler } from "./bench-wrangler.mjs";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const ADMIN = "bench-admin-token";
const DUE_CUSTOMERS = Number(process.env.BENCH_DUE_CUSTOMERS ?? 2000);
/** The SDK sends an Idempotency-Key on every POST, so that is the default. */
const WITH_KEYS = process.env.BENCH_IDEMPOTENCY !== "0";
/** Purchases with a webhook endpoint, and deliveries to a local receiver (BENCH_WEBHOOKS=0 skips). */
const WEBHOOKS = process.env.BENCH_WEBHOOKS !== "0";
/** Purchases for a merchant tailing its request log (BENCH_TAIL=0 skips). */
const TAIL = process.env.BENCH_TAIL !== "0";
/** The list-freshness prober's period during the purchase load (BENCH_PROBE_MS=0 skips it). */
const PROBE_MS = Number(process.env.BENCH_PROBE_MS ?? 250);
/** The prober's customers: each has one probe at a time, so they bound the probes in flight. */
const PROBERS = 16;
/** How long to wait, after the purchase load, for its purchases to reach the read model. */
const PROJECTION_WAIT_S = Number(process.env.BENCH_PROJECTION_WAIT_S ?? 60);

const persist = process.env.BENCH_PERSIST_DIR ?? join(root, ".wrangler/bench-state");
// Each run starts from empty storage: tables grown by earlier runs would slow the writes measured.
if (!process.env.BENCH_PERSIST_DIR) rmSync(persist, { recursive: true, force: true });
await migrate(persist);
const receiver = WEBHOOKS ? await startReceiver() : undefined;
// The receiver is plain http on 127.0.0.1, which endpoints may only be where this is set (as in `pnpm dev`).
const worker = await startWrangler(persist, {
  ADMIN_TOKEN: ADMIN,
  ...(WEBHOOKS ? { WEBHOOK_ALLOW_HTTP: "true" } : {}),
});
const base = worker.base;
const api = client(base);

const bench = await shop(api, ADMIN, "Bench", CUSTOMERS);

function run(title, opts) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, ...opts }, (err, result) => {
      if (err) return reject(err);
      const bad = result.non2xx + result.errors + result.timeouts;
      resolve({
        title,
        rps: result.requests.average,
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        requests: result.requests.total,
        ok: result["2xx"],
        failed: bad,
      });
    });
  });
}
const get = (path) => ({ requests: [{ method: "GET", path }] });

// Warm the server, then measure.
await run("warm", { ...get("/__bench/bare"), duration: 2 });
const bare = await run("bare route (GET /__bench/bare)", get("/__bench/bare"));
// The architecture's floors, with no API around them: what a purchase whose answer waits for no
// read model must at least do (its object's write), and the same with one D1 write after it.
const floorDo = await run("floor: one DO write (GET /__bench/floor-do)", get("/__bench/floor-do"));
const floor = await run("floor: one DO write + one D1 write (GET /__bench/floor)", get("/__bench/floor"));

let n = 0;
const purchaseRequest = (key, shoppers) => ({
  method: "POST",
  path: "/v1/purchases",
  setupRequest: (req) => {
    const s = shoppers[n++ % shoppers.length];
    return {
      ...req,
      headers: {
        Authorization: `Bearer ${key}`,
        "Content-Type": "application/json",
        ...(WITH_KEYS ? { "Idempotency-Key": `bench-${n}-${Date.now()}` } : {}),
      },
      body: JSON.stringify(purchaseBody(s)),
    };
  },
});

// The list-freshness prober runs beside the load, as a merchant of its own (its own key and customers).
const probing = PROBE_MS > 0 ? await shop(api, ADMIN, "Bench freshness probe", PROBERS) : undefined;
const before = await projectedCount(base, bench.id);
const loadStarted = performance.now();
const prober =
  probing &&
  startFreshnessProber({
    api,
    key: probing.key,
    shoppers: probing.shoppers,
    everyMs: PROBE_MS,
    pollMs: 25,
    timeoutMs: 30_000,
  });
const purchases = await run(`POST /v1/purchases (pay_in_n, ${WITH_KEYS ? "with" : "without"} Idempotency-Key)`, {
  requests: [purchaseRequest(bench.key, bench.shoppers)],
});
// Both after the load: the projection's wait must not start only once the last probe is seen.
const [projection, freshness] = await Promise.all([
  projectedRate({
    base,
    merchant: bench.id,
    before,
    created: purchases.ok,
    started: loadStarted,
    waitMs: PROJECTION_WAIT_S * 1000,
  }),
  prober?.stop(),
]);

/**
 * Waits for the receiver to go quiet (no new event for 3 s, at most 2 min), and returns the rate
 * from its first delivery to its last; null if nothing arrived within 10 s of the purchases.
 */
async function deliveryRate() {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const started = performance.now();
  let seen = -1;
  let quietSince = performance.now();
  while (performance.now() - started < 120_000) {
    const { events } = receiver.stats();
    if (events !== seen) [seen, quietSince] = [events, performance.now()];
    if (events === 0 && performance.now() - started > 10_000) return null;
    if (events > 0 && performance.now() - quietSince > 3_000) break;
    await sleep(250);
  }
  const { events, attempts, first, last } = receiver.stats();
  const seconds = (last - first) / 1000;
  return { title: "webhook deliveries to a local receiver", per_s: events / seconds, events, attempts, seconds };
}

// The same purchases for a merchant whose one endpoint subscribes to every event: the events then
// go through the queue to the endpoint's object and on to the local receiver.
let hooked;
let deliveries;
if (WEBHOOKS) {
  const shop2 = await shop(api, ADMIN, "Bench webhooks", CUSTOMERS);
  await api("/v1/webhook_endpoints", { key: shop2.key, body: { url: receiver.url, enabled_events: ["*"] } });
  hooked = await run("POST /v1/purchases, the merchant has one webhook endpoint subscribed to every event", {
    requests: [purchaseRequest(shop2.key, shop2.shoppers)],
  });
  deliveries = await deliveryRate();
  await receiver.stop();
}
// The same purchases for a merchant tailing its request log: what a tail costs. The purchases above
// ran with no tail attached anywhere, the request path every merchant pays.
let tailed;
if (TAIL) {
  const shop3 = await shop(api, ADMIN, "Bench tail", CUSTOMERS);
  const tail = await attachTail(base, shop3.key);
  tailed = await run("POST /v1/purchases, the merchant tails its request log", {
    requests: [purchaseRequest(shop3.key, shop3.shoppers)],
  });
  tailed.lines = tail.lines;
  tail.close();
}
// Due charges: many customers fall due at the same instant. Each gets a pay-in-4 purchase (the
// first part is charged at creation); then every customer's test clock is moved 14 days on at
// once, which runs each one's second charge (and its reminder) in its own Durable Object.
console.log(`bench: setting up ${DUE_CUSTOMERS} customers with a pay-in-4 purchase each…`);
const { key } = bench;
const due = [];
await pool(DUE_CUSTOMERS, CONNECTIONS, async () => {
  const customer = await api("/v1/customers", { key, body: {} });
  const card = await api(`/v1/customers/${customer.id}/payment_methods`, { key, body: { token: "tok_visa" } });
  const p = await api("/v1/purchases", {
    key,
    body: purchaseBody({ customer: customer.id, payment_method: card.id }),
  });
  due.push({ customer: customer.id, to: new Date(Date.parse(p.captured_at) + 14 * 86_400_000 + 1000).toISOString() });
});
let charged = 0;
const started = performance.now();
await pool(due.length, CONNECTIONS, async (i) => {
  const { customer, to } = due[i];
  const clock = await api(`/v1/test_helpers/customers/${customer}/advance_clock`, { key, body: { to } });
  charged += clock.ran.filter((r) => r.type === "charge" && r.outcome === "paid").length;
});
const seconds = (performance.now() - started) / 1000;
const dueCharges = {
  title: `due charges, ${due.length} customers due at once`,
  per_s: charged / seconds,
  charged,
  seconds,
};

await worker.stop();
// The cost counting runs its own workerd: after the load, so neither slows the other.
const costs = process.env.BENCH_COSTS === "0" ? { error: "skipped (BENCH_COSTS=0)" } : await measureCosts();

report({
  settings: { duration_s: DURATION, connections: CONNECTIONS, customers: CUSTOMERS },
  bare,
  floorDo,
  floor,
  purchases,
  projection,
  freshness,
  hooked,
  deliveries,
  tailed,
  dueCharges,
  costs,
});
for (const r of [purchases, hooked, tailed]) {
  if (r && r.failed > 0) {
    console.error(`bench: ${r.failed} requests of "${r.title}" failed`);
    process.exitCode = 1;
  }
}
// The SDK's size beside stripe's (alone: pnpm bench:size).
await import("./bench-size.mjs");
// The Worker's bundle size and start-up time (alone: pnpm bench:bundle).
await import("./bench-bundle.mjs");
// The reports against a book of a million ledger lines (alone: pnpm bench:reports; BENCH_REPORTS=0 skips).
if (process.env.BENCH_REPORTS !== "0") await import("./bench-reports.mjs");
process.exit();
