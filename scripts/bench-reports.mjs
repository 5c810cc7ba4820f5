#!/usr/bin/env node
// `pnpm bench:reports` (also the end of `pnpm bench`): the report endpoints against one merchant's
// book of BENCH_REPORT_LINES ledger lines (default 1,000,000), measured at each of
// BENCH_REPORT_STEPS (default "100000,1000000"; steps above BENCH_REPORT_LINES are dropped, and
// BENCH_REPORT_LINES is always the last) to show whether a report grows with the ledger.
// Per step: seed the local D1 directly up to that many lines (scripts/bench-reports-seed.mjs,
// wrangler stopped: the merchant in the directory, its book in its read-model shard through the
// projection consumer's own statements), start `wrangler dev` on that state, time each report over
// BENCH_REPORT_RUNS (20) sequential requests after 2 warm-ups, each beside a request to the bare
// route in the same run; then, wrangler stopped, run the Worker's own report queries
// (src/reports/storage/queries.ts) on the same shard through wrangler's platform proxy for D1's
// rows_read and SQL time, and EXPLAIN QUERY PLAN
// them. Results go to bench/results/reports.json. The state folder (BENCH_REPORT_PERSIST_DIR,
// default .wrangler/bench-reports-state) is emptied first unless BENCH_REPORT_KEEP=1, which reuses
// (and extends) the book already there.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { measureD1, measureHttp, round, tableCounts } from "./bench-reports-measure.mjs";
import { readSeedState, seed } from "./bench-reports-seed.mjs";
import { root, startWrangler } from "./bench-wrangler.mjs";

const LINES = Number(process.env.BENCH_REPORT_LINES ?? 1_000_000);
const STEPS = [
  ...new Set(
    [...(process.env.BENCH_REPORT_STEPS ?? "100000,1000000").split(","), String(LINES)]
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0 && n <= LINES),
  ),
].sort((a, b) => a - b);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 20);
const WARMUPS = 2;
const persist = resolve(process.env.BENCH_REPORT_PERSIST_DIR ?? join(root, ".wrangler/bench-reports-state"));

/** The targets of the issue: p99 under this many ms at every step. */
const TARGET_MS = { default: 100, aging_as_of: 500 };

const ymd = (d) => d.toISOString().slice(0, 10);
const monthStart = (ms, back) => {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1));
};

/** The scenarios, over periods fixed by the book's `now` so that every step asks the same. */
function scenarios(now) {
  const thisMonth = ymd(monthStart(now, 0));
  const lastMonth = ymd(monthStart(now, 1));
  const yearAgo = ymd(monthStart(now, 12));
  const asOf = new Date(now);
  asOf.setUTCMonth(asOf.getUTCMonth() - 3);
  const period = (from, to, granularity, timezone) => ({ from, to, granularity, timezone });
  return [
    {
      id: "settlements_month_by_day_utc",
      title: `settlements ${lastMonth.slice(0, 7)} by day, UTC`,
      path: "/v1/reports/settlements",
      params: period(lastMonth, thisMonth, "day", "UTC"),
    },
    {
      id: "settlements_month_by_day_stockholm",
      title: `settlements ${lastMonth.slice(0, 7)} by day, Europe/Stockholm`,
      path: "/v1/reports/settlements",
      params: period(lastMonth, thisMonth, "day", "Europe/Stockholm"),
    },
    ...["UTC", "Europe/Stockholm"].flatMap((zone) =>
      ["settlements", "collections"].map((type) => ({
        id: `${type}_year_by_month${zone === "UTC" ? "" : "_stockholm"}`,
        title: `${type} ${yearAgo.slice(0, 7)}…${lastMonth.slice(0, 7)} by month, ${zone}`,
        path: `/v1/reports/${type}`,
        params: period(yearAgo, thisMonth, "month", zone),
      })),
    ),
    { id: "aging_now", title: "aging now", path: "/v1/reports/aging", params: {} },
    {
      id: "aging_as_of",
      title: `aging as of ${asOf.toISOString().slice(0, 16)}Z (3 months back)`,
      path: "/v1/reports/aging",
      params: { as_of: asOf.toISOString() },
      target: TARGET_MS.aging_as_of,
    },
  ].map((s) => ({ target: TARGET_MS.default, ...s }));
}

// --- The run ---------------------------------------------------------------------------------

const fmt = (n) => n.toLocaleString("en");
console.log(
  `\nbench:reports: ${STEPS.map(fmt).join(" → ")} ledger lines, ${RUNS} runs per report after ${WARMUPS} warm-ups, state in ${persist}`,
);
if (process.env.BENCH_REPORT_KEEP !== "1") rmSync(persist, { recursive: true, force: true });
mkdirSync(persist, { recursive: true });

/** The aging report as it stands must add up to the ledger's receivable, per currency. */
function agingMatchesLedger(aging, balance) {
  const totals = Object.fromEntries(aging.data.map((r) => [r.currency, r.total]));
  return balance.every((b) => (totals[b.currency] ?? 0) === b.receivable);
}

const results = [];
for (const lines of STEPS) {
  const before = readSeedState(persist);
  const reuse = before && before.ledger_lines >= lines;
  console.log(
    reuse
      ? `\nstep ${fmt(lines)}: the book already has ${fmt(before.ledger_lines)} lines`
      : `\nstep ${fmt(lines)}: seeding…`,
  );
  const state = reuse ? before : await seed({ persist, lines, log: (m) => console.log(`  ${m}`) });
  const seeded = reuse ? undefined : state.seeding.at(-1);
  const list = scenarios(Date.parse(state.now));

  console.log("  starting wrangler dev…");
  const server = await startWrangler(persist);
  // Other work on the machine shows as spikes in both columns; the load average says if there was any.
  const load = { before: loadavg().map(round) };
  let http;
  try {
    http = await measureHttp(server.base, state.key, list, { runs: RUNS, warmups: WARMUPS });
  } finally {
    await server.stop();
  }
  load.after = loadavg().map(round);
  console.log(
    `  load average ${load.before.join(" ")} before, ${load.after.join(" ")} after (${availableParallelism()} cores)`,
  );
  const agingNow = http.scenarios.find((s) => s.id === "aging_now");
  const agingOk = agingMatchesLedger(agingNow.body, state.seeding.at(-1).balance);
  console.log(`  aging now adds up to the ledger's receivable in every currency: ${agingOk ? "yes" : "NO"}`);
  let d1 = [];
  try {
    d1 = await measureD1(state, list, { persist, warmups: WARMUPS });
  } catch (err) {
    console.error(`  D1 rows_read and query plans unavailable: ${err.stack ?? err}`);
  }
  const counts = await tableCounts(state, persist);
  results.push({
    lines: state.ledger_lines,
    installment_states: state.installment_states,
    customers: state.customers,
    purchases: state.purchases,
    seeding: seeded && {
      added_lines: seeded.added_lines,
      added_installment_states: seeded.added_installment_states,
      seconds: round(seeded.seconds),
      consumer: seeded.consumer,
      lines_per_s: Math.round(seeded.lines_per_s),
      balanced: seeded.balanced,
      balance: seeded.balance,
    },
    aging_matches_ledger: agingOk,
    load_average: load,
    bare: http.bare,
    scenarios: http.scenarios.map(({ body, ...s }) => ({ ...s, d1: d1.find((d) => d.id === s.id) })),
    table_rows: counts,
  });
}

// --- Report ----------------------------------------------------------------------------------

const first = results[0];
const last = results.at(-1);
const cols = results.map((r) => `${fmt(r.lines)} lines p50 / p99`);
console.log(
  `\nbench:reports: wrangler dev on this machine, ms, ${RUNS} sequential requests each after ${WARMUPS} warm-ups, ` +
    "each beside a bare-route request\n",
);
console.log(
  `| scenario | ${cols.join(" | ")} | bare route, same runs, last step | p50 growth | D1 rows read | D1 SQL p50 | target p99 | met |`,
);
console.log(`|---|${results.map(() => "---:").join("|")}|---:|---:|---:|---:|---:|:---:|`);
const failures = [];
for (const id of first.scenarios.map((s) => s.id)) {
  const per = results.map((r) => r.scenarios.find((s) => s.id === id));
  const met = per.every((s) => s.p99_ms < s.target_p99_ms);
  if (!met) failures.push(id);
  const end = per.at(-1);
  const across = (f) => per.map((s) => (s.d1 ? f(s.d1) : "?")).join(" → ");
  console.log(
    `| ${per[0].title} | ${per.map((s) => `${s.p50_ms} / ${s.p99_ms}`).join(" | ")} | ${end.bare.p50_ms} / ${end.bare.p99_ms} | ` +
      `×${(end.p50_ms / per[0].p50_ms).toFixed(2)} | ${across((d) => fmt(d.rows_read))} | ${across((d) => d.sql_ms.p50_ms)} | ` +
      `< ${per[0].target_p99_ms} | ${met ? "yes" : "NO"} |`,
  );
}
console.log(
  `| bare route, all runs (${first.bare.n} per step) | ${results.map((r) => `${r.bare.p50_ms} / ${r.bare.p99_ms}`).join(" | ")} | | ` +
    `×${(last.bare.p50_ms / first.bare.p50_ms).toFixed(2)} | | | | |`,
);
console.log(`\nledger lines ×${(last.lines / first.lines).toFixed(1)} from the first step to the last.`);
for (const r of results) {
  const s = r.seeding;
  console.log(
    `${fmt(r.lines)} lines (${fmt(r.installment_states)} installment states, ${fmt(r.customers)} customers, ${fmt(r.purchases)} purchases)` +
      (s
        ? `: seeded ${fmt(s.added_lines)} lines + ${fmt(s.added_installment_states)} states in ${s.seconds} s ` +
          `(${fmt(s.lines_per_s)} lines/s; ${fmt(s.consumer.messages)} projection messages in ${fmt(s.consumer.batches)} consumer batches), ` +
          `ledger and rollups ${s.balanced ? "balanced" : "NOT balanced"}`
        : ""),
  );
  const tables = Object.entries(r.table_rows).map(([table, c]) => {
    const grains = c.by_grain
      ? Object.entries(c.by_grain).map(([g, n]) => `${g} ${fmt(n)}`)
      : c.states !== undefined && [`${fmt(c.states)} states`];
    return `${table} ${fmt(c.rows)}${grains ? ` (${grains.join(", ")})` : ""}`;
  });
  console.log(`  rows: ${tables.join("; ")}`);
}
console.log(
  "\nwhere the time goes, last step (p50 ms): request − bare route − D1 SQL = Worker, D1 binding and result rows",
);
for (const s of last.scenarios) {
  if (!s.d1) continue;
  const rest = s.p50_ms - last.bare.p50_ms - s.d1.sql_ms.p50_ms;
  const searches = [...new Set(s.d1.plans.flatMap((p) => p.plan).filter((d) => /^(SEARCH|SCAN)/.test(d)))];
  console.log(
    `  ${s.id}: ${s.p50_ms} − ${last.bare.p50_ms} − ${s.d1.sql_ms.p50_ms} = ${round(rest)}; ` +
      `${s.d1.statements} statement(s), ${fmt(s.d1.rows_read)} rows read\n    plan: ${searches.join("; ")}`,
  );
}
if (failures.length) console.log(`\nbench:reports: p99 target missed by ${failures.join(", ")}`);

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(
  join(root, "bench/results/reports.json"),
  JSON.stringify(
    { at: new Date().toISOString(), runs: RUNS, warmups: WARMUPS, steps: results, targets_missed: failures },
    null,
    2,
  ),
);
console.log("written to bench/results/reports.json");
