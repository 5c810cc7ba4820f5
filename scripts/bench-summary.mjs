// `pnpm bench`'s report: the request table, every rate beside the bare route and the DO-only floor,
// the list's freshness, a purchase's costs, and the same in bench/results/latest.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { costTable, printCosts } from "./bench-costs.mjs";
import { root } from "./bench-wrangler.mjs";

const pct = (x) => `${(x * 100).toFixed(1)}%`;

/** Prints the run's figures and writes them to bench/results/latest.json. */
export function report(r) {
  const { settings, bare, floorDo, floor, purchases, projection, freshness, hooked, deliveries, tailed, dueCharges } =
    r;
  const { costs } = r;
  const rows = [bare, floorDo, floor, purchases, ...(hooked ? [hooked] : []), ...(tailed ? [tailed] : [])];
  console.log(
    `\nbench: ${settings.duration_s}s each, ${settings.connections} connections, ${settings.customers} customers, ` +
      "wrangler dev on this machine\n",
  );
  console.log("| scenario | req/s | p50 ms | p99 ms | requests | failed |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const row of rows)
    console.log(
      `| ${row.title} | ${row.rps.toFixed(0)} | ${row.p50_ms} | ${row.p99_ms} | ${row.requests} | ${row.failed} |`,
    );

  // Every rate of the run, as a share of the bare route and of the DO-only floor.
  const rates = [
    ...rows.map((row) => ({ title: row.title, per_s: row.rps })),
    projection,
    ...(deliveries ? [deliveries] : []),
    dueCharges,
  ].map((rate) => ({ ...rate, of_bare: rate.per_s / bare.rps, of_floor_do: rate.per_s / floorDo.rps }));
  console.log("\n| rate | per s | of the bare route | of the DO-only floor |");
  console.log("|---|---:|---:|---:|");
  for (const rate of rates)
    console.log(`| ${rate.title} | ${rate.per_s.toFixed(0)} | ${pct(rate.of_bare)} | ${pct(rate.of_floor_do)} |`);

  console.log(
    `\npurchase creation: ${pct(purchases.rps / bare.rps)} of the bare route (target ≥ 35%), p99 ${purchases.p99_ms} ms ` +
      `(target ≤ 250 ms); ${pct(purchases.rps / floor.rps)} of the floor, ${pct(purchases.rps / floorDo.rps)} of the DO-only floor`,
  );
  console.log(
    `purchases fully projected: ${projection.complete ? "all" : "only"} ${Math.min(projection.projected, projection.created)} ` +
      `of the load's ${projection.created} (2xx) in the read model ${projection.seconds.toFixed(1)} s after its start` +
      `${projection.complete ? "" : `, when the wait ran out`} (${projection.projected} there by then, with those in ` +
      `flight when it stopped): ${projection.per_s.toFixed(0)} per second, ${pct(projection.per_s / purchases.rps)} of the request rate`,
  );
  console.log(
    freshness
      ? `list freshness (a purchase every ${freshness.every_ms} ms beside the load): p50 ${fmt(freshness.p50_ms)} ms, ` +
          `p99 ${fmt(freshness.p99_ms)} ms (target ≤ 2,000), max ${fmt(freshness.max_ms)} ms over ${freshness.samples} ` +
          `purchases (${freshness.unseen} never seen, ${freshness.failed} failed, ${freshness.skipped} ticks skipped with every prober busy); ` +
          `a list request took ${fmt(freshness.list_request_p50_ms)} ms (p50)`
      : "list freshness: skipped (BENCH_PROBE_MS=0)",
  );
  console.log(
    `due charges: ${dueCharges.per_s.toFixed(0)} per second (${dueCharges.charged} charges in ${dueCharges.seconds.toFixed(1)} s), ` +
      `${pct(dueCharges.per_s / bare.rps)} of the bare route (target ≥ 30%)`,
  );
  if (hooked) {
    console.log(
      `purchase creation with one subscribed webhook endpoint / with none: ${pct(hooked.rps / purchases.rps)} (target ≥ 90%)`,
    );
    console.log(
      deliveries
        ? `webhook deliveries: ${deliveries.per_s.toFixed(0)} events per second to a local receiver ` +
            `(${deliveries.events} events, ${deliveries.attempts} attempts, in ${deliveries.seconds.toFixed(1)} s)`
        : "webhook deliveries: not available (no event reached the local receiver within 10 s; " +
            "this build has no webhook delivery object)",
    );
  }
  if (tailed) {
    console.log(
      `purchase creation with a request log tail attached / with none: ${pct(tailed.rps / purchases.rps)} ` +
        `(${tailed.lines} lines tailed of ${tailed.requests} requests; with none attached nothing is sent)`,
    );
  }
  printCosts(costs);

  mkdirSync(join(root, "bench/results"), { recursive: true });
  const results = {
    at: new Date().toISOString(),
    ...settings,
    rows,
    ratio: purchases.rps / bare.rps,
    floor_ratio: floor.rps / bare.rps,
    floor_do_ratio: floorDo.rps / bare.rps,
    rates,
    projection,
    freshness: freshness ?? "skipped",
    due_charges: dueCharges,
    webhooks: hooked && {
      with_endpoint_ratio: hooked.rps / purchases.rps,
      deliveries: deliveries ?? "not available",
    },
    log_tail: tailed && { with_tail_ratio: tailed.rps / purchases.rps, lines: tailed.lines },
    costs: costs.error ? costs : { ...costs, per_purchase: costTable(costs) },
  };
  writeFileSync(join(root, "bench/results/latest.json"), JSON.stringify(results, null, 2));
}

const fmt = (ms) => (ms === null ? "–" : ms.toFixed(0));
