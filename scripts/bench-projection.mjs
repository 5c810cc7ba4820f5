// How fast purchases reach the read model under the bench's load: the rate at which the purchases
// of a load are fully projected, and the lag from a purchase's 201 to its appearance in
// GET /v1/purchases. A synchronous projection shows no lag; an asynchronous one its batch window.
import { purchaseBody } from "./bench-client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The merchant's purchases in the read model (the bench-only count route, BENCH_BARE_ROUTE). */
export async function projectedCount(base, merchant) {
  const res = await fetch(`${base}/__bench/purchases/count?merchant=${merchant}`);
  if (!res.ok) throw new Error(`purchase count: ${res.status} ${await res.text()}`);
  return (await res.json()).count;
}

/**
 * Polls the read model until it holds `created` purchases more than `before` (those a load created,
 * by its 2xx answers), at most `waitMs` after the load ended, and returns the rate from the load's
 * start (`started`, performance.now()) to the moment the last one was seen; with `complete` false and
 * what had arrived by the last increase when the wait ran out.
 */
export async function projectedRate({ base, merchant, before, created, started, waitMs }) {
  const deadline = performance.now() + waitMs;
  let projected = 0;
  let lastSeen = performance.now();
  for (;;) {
    const now = performance.now();
    const count = (await projectedCount(base, merchant)) - before;
    if (count > projected) [projected, lastSeen] = [count, now];
    if (projected >= created || now > deadline) break;
    await sleep(100);
  }
  const complete = projected >= created;
  const seconds = (lastSeen - started) / 1000;
  const arrived = Math.min(projected, created);
  return {
    title: "purchases fully projected to the read model",
    per_s: arrived / seconds,
    projected,
    created,
    seconds,
    complete,
  };
}

/** The nearest-rank percentile of sorted numbers; null of none. */
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;

/**
 * Starts a side prober: every `everyMs` one of its shoppers (its own merchant's customers, each with
 * at most one probe at a time) makes a purchase with a fresh Idempotency-Key, then asks
 * GET /v1/purchases?customer=<id>&limit=1 every `pollMs` until the purchase is first on the list.
 * A lag runs from the 201 to the start of the list request that first shows the purchase: a lower
 * bound, within one list request (whose p50 is reported beside it). `stop()` ends the probing,
 * waits for the probes in flight and returns the figures.
 */
export function startFreshnessProber({ api, key, shoppers, everyMs, pollMs, timeoutMs }) {
  const lags = [];
  const polls = [];
  const tally = { skipped: 0, unseen: 0, failed: 0 };
  const idle = [...shoppers];
  const probes = new Set();
  let seq = 0;

  async function probe(s) {
    const purchase = await api("/v1/purchases", {
      key,
      body: purchaseBody(s),
      headers: { "Idempotency-Key": `bench-probe-${++seq}-${Date.now()}` },
    });
    const answered = performance.now();
    while (performance.now() - answered < timeoutMs) {
      const asked = performance.now();
      const list = await api(`/v1/purchases?customer=${s.customer}&limit=1`, { key });
      polls.push(performance.now() - asked);
      if (list.data[0]?.id === purchase.id) {
        lags.push(asked - answered);
        return;
      }
      await sleep(pollMs);
    }
    tally.unseen++;
  }

  const timer = setInterval(() => {
    const s = idle.pop();
    if (!s) {
      tally.skipped++;
      return;
    }
    const running = probe(s)
      .catch(() => tally.failed++)
      .finally(() => {
        idle.push(s);
        probes.delete(running);
      });
    probes.add(running);
  }, everyMs);

  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(probes);
      const sorted = lags.sort((a, b) => a - b);
      return {
        title: "list freshness: 201 → first in GET /v1/purchases?customer=…",
        samples: sorted.length,
        p50_ms: percentile(sorted, 50),
        p99_ms: percentile(sorted, 99),
        max_ms: percentile(sorted, 100),
        list_request_p50_ms: percentile(
          polls.sort((a, b) => a - b),
          50,
        ),
        every_ms: everyMs,
        ...tally,
      };
    },
  };
}
