// The measurements of `pnpm bench:reports` (bench-reports.mjs runs them): each report over HTTP
// beside the bare route, the Worker's own report queries on D1 through wrangler's platform proxy
// (rows read, SQL time, query plans), and the size of the tables behind them.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { databaseFile, openSqlite, workerModule } from "./bench-reports-d1.mjs";
import { root } from "./bench-wrangler.mjs";

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
export const round = (x) => Math.round(x * 10) / 10;
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    mean_ms: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    max_ms: round(sorted.at(-1)),
  };
}

async function timed(url, key) {
  const t = performance.now();
  const res = await fetch(url, key ? { headers: { Authorization: `Bearer ${key}` } } : undefined);
  const body = await res.text();
  const ms = performance.now() - t;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 500)}`);
  return { ms, body };
}

/** Each scenario: `warmups` warm-ups, then `runs` rounds of one bare-route request and one report request. */
export async function measureHttp(base, key, list, { runs, warmups }) {
  const bareAll = [];
  const out = [];
  for (const s of list) {
    const url = `${base}${s.path}?${new URLSearchParams(s.params)}`;
    let body;
    for (let i = 0; i < warmups; i++) {
      await timed(`${base}/__bench/bare`);
      body = JSON.parse((await timed(url, key)).body);
    }
    const rows = body.data.length;
    const report = [];
    const bare = [];
    for (let i = 0; i < runs; i++) {
      bare.push((await timed(`${base}/__bench/bare`)).ms);
      report.push((await timed(url, key)).ms);
    }
    bareAll.push(...bare);
    out.push({
      id: s.id,
      title: s.title,
      url: url.slice(base.length),
      rows,
      body,
      target_p99_ms: s.target,
      ...stats(report),
      samples_ms: report.map(round),
      bare: { ...stats(bare), samples_ms: bare.map(round) },
    });
    console.log(`  ${s.title}: p50 ${out.at(-1).p50_ms} ms, p99 ${out.at(-1).p99_ms} ms (${rows} rows)`);
  }
  return { bare: stats(bareAll), scenarios: out };
}

/**
 * The Worker's own report functions (src/reports/storage/queries.ts, loaded with tsx) on the
 * merchant's read-model shard in the local D1 through wrangler's platform proxy, recording D1's
 * meta of each statement: rows_read and SQL time as D1 reports them, which HTTP cannot show. Then
 * EXPLAIN QUERY PLAN of each statement. `persist` is the state folder the book was seeded into.
 */
export async function measureD1(state, list, { persist, warmups }) {
  const { getPlatformProxy, unstable_readConfig } = await import("wrangler");
  const queries = await workerModule("reports/storage/queries.ts");
  const { tsImport } = await import("tsx/esm/api");
  const shared = await tsImport("../packages/shared/src/index.ts", import.meta.url);
  // Only the shard's D1 binding, as wrangler.toml declares it (its id names its file), so no Worker
  // or Durable Object is built for the proxy.
  const shard = unstable_readConfig({ config: join(root, "wrangler.toml") }, { hideWarnings: true }).d1_databases.find(
    (d) => d.binding === state.shard,
  );
  if (!shard) throw new Error(`wrangler.toml binds no ${state.shard}`);
  const configPath = join(persist, "bench-reports-wrangler.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      name: "tranche-bench-reports",
      compatibility_date: "2026-10-01",
      d1_databases: [{ binding: "READ_MODEL", database_name: shard.database_name, database_id: shard.database_id }],
    }),
  );
  const { env, dispose } = await getPlatformProxy({ configPath, persist: { path: join(persist, "v3") } });
  try {
    let recorded = [];
    const record = (sql, args, stmt) =>
      Object.fromEntries(
        ["all", "first", "raw", "run"].map((m) => [
          m,
          async (...a) => {
            const r = await stmt[m](...a);
            recorded.push({ sql, args, meta: r?.meta });
            return r;
          },
        ]),
      );
    const db = {
      prepare: (sql) => {
        const stmt = env.READ_MODEL.prepare(sql);
        return { ...record(sql, [], stmt), bind: (...args) => record(sql, args, stmt.bind(...args)) };
      },
    };
    const auth = { merchantId: state.merchant_id, livemode: false };
    const call = (s) => {
      if (s.path.endsWith("/aging")) {
        const asOf = s.params.as_of ? new Date(s.params.as_of) : new Date();
        return s.params.as_of
          ? queries.agingAsOf(db, auth, asOf, undefined)
          : queries.agingNow(db, auth, asOf, undefined);
      }
      const periods = shared.reportPeriods(s.params);
      if (!periods.ok) throw new Error(`${s.id}: ${periods.message}`);
      const fn = s.path.endsWith("/settlements") ? queries.settlements : queries.collections;
      return fn(db, auth, periods.periods, undefined);
    };
    const out = [];
    for (const s of list) {
      const durations = [];
      let statements = [];
      for (let i = 0; i < warmups + 5; i++) {
        recorded = [];
        await call(s);
        statements = recorded;
        if (i >= warmups)
          durations.push(recorded.reduce((t, r) => t + (r.meta?.timings?.sql_duration_ms ?? r.meta?.duration ?? 0), 0));
      }
      const plans = [];
      for (const st of statements) {
        const plan = await env.READ_MODEL.prepare(`EXPLAIN QUERY PLAN ${st.sql}`)
          .bind(...st.args)
          .all()
          .then((r) => r.results.map((p) => p.detail))
          .catch((err) => [`(EXPLAIN failed: ${err.message})`]);
        plans.push({ sql: st.sql.replace(/\s+/g, " "), plan });
      }
      out.push({
        id: s.id,
        statements: statements.length,
        rows_read: statements.reduce((t, r) => t + (r.meta?.rows_read ?? 0), 0),
        sql_ms: stats(durations),
        plans,
      });
    }
    return out;
  } finally {
    await dispose();
  }
}

/**
 * Rows per table (and per rollup grain) of the merchant's book in its shard in the state folder
 * `persist`; for installments also the states counted (D1 keeps each installment's latest state and
 * the numbers of those counted, not a log).
 */
export async function tableCounts(state, persist) {
  const db = await openSqlite(databaseFile(persist, state, state.shard), { readOnly: true });
  const counts = {};
  for (const table of [
    "ledger_entries",
    "installments",
    "ledger_rollups",
    "collection_rollups",
    "receivable_history",
    "receivable_changes",
  ]) {
    const grains = table.endsWith("_rollups")
      ? Object.fromEntries(
          db
            .prepare(`SELECT grain, COUNT(*) AS n FROM ${table} WHERE merchant_id = ? AND livemode = 0 GROUP BY grain`)
            .all(state.merchant_id)
            .map((r) => [r.grain, r.n]),
        )
      : undefined;
    const n = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE merchant_id = ?`).get(state.merchant_id).n;
    counts[table] = grains ? { rows: n, by_grain: grains } : { rows: n };
    if (table === "installments")
      counts[table].states = db
        .prepare("SELECT SUM(json_array_length(states)) AS n FROM installments WHERE merchant_id = ?")
        .get(state.merchant_id).n;
  }
  db.close();
  return counts;
}
