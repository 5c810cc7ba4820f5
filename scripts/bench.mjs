#!/usr/bin/env node
// `pnpm bench`: starts the Worker on wrangler dev and measures, in the same run and on the same
// server, a bare Hono route (no middleware), the architecture's floor (one Durable Object write
// and one D1 write, nothing else) and POST /v1/purchases (auth, idempotency, the customer's
// Durable Object, the D1 projection), the same for a merchant with one subscribed webhook endpoint,
// and the webhook deliveries a local receiver gets. Figures are reported as a ratio to the baseline:
// absolute numbers on shared 2-core machines drift. Results also go to bench/results/latest.json.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { startReceiver } from "./bench-receiver.mjs";
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

/** Runs `count` tasks, at most `width` at a time. */
async function pool(count, width, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function api(path, { key, body, headers = {} } = {}) {
  const res = await fetch(base + path, {
    method: body ? "POST" : "GET",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...headers },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A merchant's key and CUSTOMERS customers with a card each. */
async function shop(name) {
  console.log(`bench: setting up ${CUSTOMERS} customers of ${name}…`);
  const merchant = await api("/v1/merchants", { key: ADMIN, body: { name } });
  const key = merchant.secret_key;
  const shoppers = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const customer = await api("/v1/customers", { key, body: { credit_limits: { EUR: 100_000_000_000 } } });
    const card = await api(`/v1/customers/${customer.id}/payment_methods`, { key, body: { token: "tok_visa" } });
    shoppers.push({ customer: customer.id, payment_method: card.id });
  }
  return { key, shoppers };
}
const { key, shoppers } = await shop("Bench");

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
        failed: bad,
      });
    });
  });
}

// Warm both paths, then measure.
await run("warm", { duration: 2, requests: [{ method: "GET", path: "/__bench/bare" }] });
const bare = await run("bare route (GET /__bench/bare)", { requests: [{ method: "GET", path: "/__bench/bare" }] });
// The architecture's floor: one Durable Object write and one D1 write, with no API around them.
const floor = await run("floor: one DO write + one D1 write (GET /__bench/floor)", {
  requests: [{ method: "GET", path: "/__bench/floor" }],
});

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
      body: JSON.stringify({ ...s, amount: 10_000, currency: "EUR", plan: { type: "pay_in_n" } }),
    };
  },
});
const purchases = await run(`POST /v1/purchases (pay_in_n, ${WITH_KEYS ? "with" : "without"} Idempotency-Key)`, {
  requests: [purchaseRequest(key, shoppers)],
});

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
  const shop2 = await shop("Bench webhooks");
  await api("/v1/webhook_endpoints", { key: shop2.key, body: { url: receiver.url, enabled_events: ["*"] } });
  hooked = await run("POST /v1/purchases, the merchant has one webhook endpoint subscribed to every event", {
    requests: [purchaseRequest(shop2.key, shop2.shoppers)],
  });
  deliveries = await deliveryRate();
  await receiver.stop();
}
// Due charges: many customers fall due at the same instant. Each gets a pay-in-4 purchase (the
// first part is charged at creation); then every customer's test clock is moved 14 days on at
// once, which runs each one's second charge (and its reminder) in its own Durable Object.
console.log(`bench: setting up ${DUE_CUSTOMERS} customers with a pay-in-4 purchase each…`);
const due = [];
await pool(DUE_CUSTOMERS, CONNECTIONS, async () => {
  const customer = await api("/v1/customers", { key, body: {} });
  const card = await api(`/v1/customers/${customer.id}/payment_methods`, { key, body: { token: "tok_visa" } });
  const p = await api("/v1/purchases", {
    key,
    body: {
      customer: customer.id,
      payment_method: card.id,
      amount: 10_000,
      currency: "EUR",
      plan: { type: "pay_in_n" },
    },
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

const ratio = purchases.rps / bare.rps;
const rows = [bare, floor, purchases, ...(hooked ? [hooked] : [])];
console.log(
  `\nbench: ${DURATION}s each, ${CONNECTIONS} connections, ${CUSTOMERS} customers, wrangler dev on this machine\n`,
);
console.log("| scenario | req/s | p50 ms | p99 ms | requests | failed |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of rows)
  console.log(`| ${r.title} | ${r.rps.toFixed(0)} | ${r.p50_ms} | ${r.p99_ms} | ${r.requests} | ${r.failed} |`);
console.log(`\npurchase creation / bare route throughput: ${(ratio * 100).toFixed(1)}% (target ≥ 40%)`);
console.log(
  `floor / bare route: ${((floor.rps / bare.rps) * 100).toFixed(1)}%; ` +
    `purchase creation / floor: ${((purchases.rps / floor.rps) * 100).toFixed(1)}%`,
);
console.log(
  `due charges: ${dueCharges.per_s.toFixed(0)} per second (${dueCharges.charged} charges in ${dueCharges.seconds.toFixed(1)} s), ` +
    `${((dueCharges.per_s / bare.rps) * 100).toFixed(1)}% of the bare route's requests per second`,
);
if (hooked) {
  console.log(
    `purchase creation with one subscribed webhook endpoint / with none: ${((hooked.rps / purchases.rps) * 100).toFixed(1)}% (target ≥ 90%)`,
  );
  console.log(
    deliveries
      ? `webhook deliveries: ${deliveries.per_s.toFixed(0)} events per second to a local receiver ` +
          `(${deliveries.events} events, ${deliveries.attempts} attempts, in ${deliveries.seconds.toFixed(1)} s), ` +
          `${((deliveries.per_s / bare.rps) * 100).toFixed(1)}% of the bare route's requests per second`
      : "webhook deliveries: not available (no event reached the local receiver within 10 s; " +
          "this build has no webhook delivery object)",
  );
}

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(
  join(root, "bench/results/latest.json"),
  JSON.stringify(
    {
      at: new Date().toISOString(),
      duration_s: DURATION,
      connections: CONNECTIONS,
      customers: CUSTOMERS,
      rows,
      ratio,
      floor_ratio: floor.rps / bare.rps,
      due_charges: dueCharges,
      webhooks: hooked && {
        with_endpoint_ratio: hooked.rps / purchases.rps,
        deliveries: deliveries ?? "not available",
      },
    },
    null,
    2,
  ),
);
for (const r of [purchases, hooked]) {
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
