#!/usr/bin/env node
// Seeds the local D1 of a `wrangler dev` state folder with one merchant's book for the reports
// benchmark (`pnpm bench:reports`), writing the SQLite file directly, in batches, while wrangler
// is stopped: `node scripts/bench-reports-seed.mjs [--persist DIR] [--lines N]`.
//
// It writes the rows the Worker's projection writes (ledger_entries and installment_log, ids
// `<customer id>:<seq>`), through the real tables, so the real triggers of 0002_reports.sql build
// the rollups. Customers are generated one by one from a seed and their index, each with its own
// purchases over the 13 months up to the book's `now`; seeding again to a higher line count adds
// customers, so the book grows denser over the same span, not longer. The merchant, its test key,
// `now` and how far seeding got are kept beside the state (bench-reports-seed.json).
//
// The book itself is generated in bench-reports-book.mjs.
//
// Not written: the customers/purchases/events projections and the Durable Objects' own storage
// (no report reads them), so these customers cannot be used through the rest of the API.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CROCKFORD, customerBook, DAY, iso, mulberry32, ulid } from "./bench-reports-book.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** node:sqlite is unflagged from Node 22.13 but still says it is experimental on every run. */
async function openSqlite(file) {
  const emit = process.emitWarning;
  process.emitWarning = (warning, ...rest) =>
    String(warning).includes("SQLite") ? undefined : emit.call(process, warning, ...rest);
  try {
    const { DatabaseSync } = await import("node:sqlite");
    return new DatabaseSync(file);
  } catch (err) {
    throw new Error(`bench-reports-seed needs node:sqlite (Node ≥ 22.13): ${err.message}`);
  } finally {
    process.emitWarning = emit;
  }
}

/** The D1 database miniflare keeps for the DB binding under `persist` (there is only one). */
export function d1File(persist) {
  const dir = join(persist, "v3/d1/miniflare-D1DatabaseObject");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f)) : [];
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  return join(dir, files[0]);
}

export function applyMigrations(persist) {
  const res = spawnSync(
    join(root, "node_modules/.bin/wrangler"),
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist],
    {
      cwd: root,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (res.status !== 0) throw new Error(`wrangler d1 migrations apply failed (${res.status})`);
}

// --- Writing ----------------------------------------------------------------------------------

const STATE_FILE = "bench-reports-seed.json";

export function readSeedState(persist) {
  const file = join(persist, STATE_FILE);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/**
 * Seeds `persist` until the merchant has at least `lines` ledger lines (a fresh folder gets the
 * migrations, a merchant and a test key first). Returns the seed state with this run's timings.
 * wrangler (dev or otherwise) must not be running on `persist`.
 */
export async function seed({ persist, lines, batchLines = 50_000, log = console.log }) {
  persist = resolve(persist);
  let state = readSeedState(persist);
  if (!state) {
    const t = performance.now();
    applyMigrations(persist);
    log(`seed: migrations applied in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const db = await openSqlite(d1File(persist));
  // This connection only: 256 MB of cache for the rollup upserts; a crash mid-seed means reseeding anyway.
  db.exec("PRAGMA cache_size = -262144; PRAGMA synchronous = OFF");
  if (!state) {
    const now = Date.now();
    const key = `sk_test_${[...randomBytes(32)].map((b) => CROCKFORD[b & 31]).join("")}`;
    const merchantId = ulid("mer", now, mulberry32(now & 0xffffffff));
    const created = iso(now);
    db.prepare("INSERT INTO merchants (id, name, email, created_at) VALUES (?, ?, ?, ?)").run(
      merchantId,
      "Reports bench",
      null,
      created,
    );
    db.prepare(
      "INSERT INTO api_keys (id, merchant_id, key_hash, prefix, mode, created_at) VALUES (?, ?, ?, ?, 'test', ?)",
    ).run(
      `key_bench_reports_${merchantId}`,
      merchantId,
      createHash("sha256").update(key).digest("hex"),
      key.slice(0, 12),
      created,
    );
    state = {
      merchant_id: merchantId,
      key,
      seed: 20_261_201,
      now: created,
      span_days: 396,
      customers: 0,
      purchases: 0,
      ledger_lines: 0,
      installment_log_rows: 0,
      seeding: [],
    };
  }
  const now = Date.parse(state.now);
  const span = state.span_days * DAY;
  const insertLine = db.prepare(
    `INSERT OR IGNORE INTO ledger_entries
       (id, merchant_id, livemode, customer_id, purchase_id, posting, event, currency, account, amount, created_at)
     VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLog = db.prepare(
    `INSERT OR IGNORE INTO installment_log
       (id, merchant_id, livemode, customer_id, seq, purchase_id, number, currency, due_at, status, outcome, amount, owed, at)
     VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const started = performance.now();
  const from = { lines: state.ledger_lines, logs: state.installment_log_rows, customers: state.customers };
  let batchStart = state.ledger_lines;
  let batches = 0;
  let open = true;
  db.exec("BEGIN");
  while (state.ledger_lines < lines) {
    const { customer, currency, events } = customerBook(state.seed, state.customers, now, span);
    let line = 0;
    let seq = 0;
    let posting = 0;
    const purchases = new Set();
    for (const e of events) {
      const at = iso(e.at);
      purchases.add(e.purchase);
      if (e.kind === "post") {
        posting++;
        for (const [account, amount] of e.lines) {
          line++;
          insertLine.run(
            `${customer}:${line}`,
            state.merchant_id,
            customer,
            e.purchase,
            posting,
            e.event,
            currency,
            account,
            amount,
            at,
          );
        }
      } else {
        seq++;
        insertLog.run(
          `${customer}:${seq}`,
          state.merchant_id,
          customer,
          seq,
          e.purchase,
          e.number,
          currency,
          e.due_at,
          e.status,
          e.outcome,
          e.amount,
          e.owed,
          at,
        );
      }
    }
    state.customers++;
    state.purchases += purchases.size;
    state.ledger_lines += line;
    state.installment_log_rows += seq;
    if (state.ledger_lines - batchStart >= batchLines || state.ledger_lines >= lines) {
      db.exec("COMMIT");
      batches++;
      batchStart = state.ledger_lines;
      const s = (performance.now() - started) / 1000;
      if (batches % 4 === 0 || state.ledger_lines >= lines)
        log(
          `seed: ${state.ledger_lines.toLocaleString("en")} ledger lines, ${state.installment_log_rows.toLocaleString("en")} installment states, ` +
            `${state.customers.toLocaleString("en")} customers (${((state.ledger_lines - from.lines) / s).toFixed(0)} lines/s)`,
        );
      open = state.ledger_lines < lines;
      if (open) db.exec("BEGIN");
    }
  }
  if (open) db.exec("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

  // The book must balance, and what the installment states say is owed must be the receivable.
  const balance = db
    .prepare(
      `SELECT currency, SUM(amount) AS sum, SUM(CASE WHEN account = 'customer_receivable' THEN amount ELSE 0 END) AS receivable,
              COUNT(*) AS lines
       FROM ledger_entries WHERE merchant_id = ? AND livemode = 0 GROUP BY currency ORDER BY currency`,
    )
    .all(state.merchant_id);
  const owed = Object.fromEntries(
    db
      .prepare(
        "SELECT currency, SUM(owed) AS owed FROM installments WHERE merchant_id = ? AND livemode = 0 GROUP BY currency",
      )
      .all(state.merchant_id)
      .map((r) => [r.currency, r.owed]),
  );
  const check = balance.map((r) => ({
    currency: r.currency,
    lines: r.lines,
    sum: r.sum,
    receivable: r.receivable,
    owed: owed[r.currency] ?? 0,
  }));
  const balanced = check.every((r) => r.sum === 0 && r.receivable === r.owed);
  log(
    `seed: ledger balance ${check.map((r) => `${r.currency} ${r.sum} (receivable ${r.receivable}, installments owed ${r.owed})`).join("; ")}: ${balanced ? "balanced" : "NOT BALANCED"}`,
  );
  db.close();

  state.seeding.push({
    to_lines: state.ledger_lines,
    added_lines: state.ledger_lines - from.lines,
    added_installment_states: state.installment_log_rows - from.logs,
    added_customers: state.customers - from.customers,
    seconds,
    lines_per_s: (state.ledger_lines - from.lines) / seconds,
    balance: check,
    balanced,
  });
  writeFileSync(join(persist, STATE_FILE), JSON.stringify(state, null, 2));
  if (!balanced) throw new Error("seed: the seeded ledger does not balance");
  return state;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const persist =
    arg("--persist") ?? process.env.BENCH_REPORT_PERSIST_DIR ?? join(root, ".wrangler/bench-reports-state");
  const lines = Number(arg("--lines") ?? process.env.BENCH_REPORT_LINES ?? 1_000_000);
  const state = await seed({ persist, lines });
  const last = state.seeding.at(-1);
  console.log(
    `seed: ${persist}: ${state.ledger_lines.toLocaleString("en")} lines; this run added ${last.added_lines.toLocaleString("en")} in ${last.seconds.toFixed(1)} s. ` +
      `Merchant ${state.merchant_id}, key ${state.key}`,
  );
}
