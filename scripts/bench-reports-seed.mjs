#!/usr/bin/env node
// Seeds a `wrangler dev` state folder with one merchant's book for the reports benchmark
// (`pnpm bench:reports`), writing the local D1 files directly while wrangler is stopped:
// `node scripts/bench-reports-seed.mjs [--persist DIR] [--lines N]`.
//
// The merchant, its test key and its `merchant_shards` row go into the directory (DB); the book
// goes into the merchant's read-model shard (READ_MODEL_<n>, placed by the Worker's own hash,
// src/shards/index.ts) through the projection consumer's own statements (bench-reports-d1.mjs): the
// customer objects' messages, in queue batches of 100, become rows and rollups exactly as
// production writes them. Customers are generated one by one from a seed and their index, each with
// its own purchases over the 13 months up to the book's `now`; seeding again to a higher line count
// adds customers, so the book grows denser over the same span, not longer. The merchant, its key,
// `now`, which file is which database and how far seeding got are kept beside the state
// (bench-reports-seed.json).
//
// The book itself, and its messages, are generated in bench-reports-book.mjs.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CROCKFORD, customerBook, customerMessages, DAY, iso, mulberry32, ulid } from "./bench-reports-book.mjs";
import { consumerWriter, databaseFile, migrateDatabases, openSqlite, workerModule } from "./bench-reports-d1.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const STATE_FILE = "bench-reports-seed.json";
/** Messages per consumer batch: the projection queue's `max_batch_size` (wrangler.toml). */
const BATCH = 100;
const REPORT_EVERY = 200_000;

export function readSeedState(persist) {
  const file = join(persist, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, "utf8"));
  // A folder seeded before the read model was sharded has one database, with triggers.
  if (!state.shard) throw new Error(`${persist} was seeded by an older bench:reports: delete it first`);
  return state;
}

/**
 * A new merchant in the directory, as `POST /v1/merchants` makes one: its row, a test key, and its
 * row of `merchant_shards` naming the shard the Worker's own hash places it on.
 */
async function createMerchant(persist, databases) {
  const now = Date.now();
  const key = `sk_test_${[...randomBytes(32)].map((b) => CROCKFORD[b & 31]).join("")}`;
  const merchantId = ulid("mer", now, mulberry32(now & 0xffffffff));
  const created = iso(now);
  const { placedShard } = await workerModule("shards/index.ts");
  const shard = placedShard(merchantId, Object.keys(databases).filter((b) => /^READ_MODEL_\d+$/.test(b)).length);
  const state = {
    merchant_id: merchantId,
    key,
    databases,
    shard: `READ_MODEL_${shard}`,
    seed: 20_261_201,
    now: created,
    span_days: 396,
    customers: 0,
    purchases: 0,
    ledger_lines: 0,
    installment_states: 0,
    seeding: [],
  };
  const directory = await openSqlite(databaseFile(persist, state, "DB"));
  directory.exec("BEGIN");
  directory
    .prepare("INSERT INTO merchants (id, name, email, created_at) VALUES (?, ?, ?, ?)")
    .run(merchantId, "Reports bench", null, created);
  directory
    .prepare(
      "INSERT INTO api_keys (id, merchant_id, key_hash, prefix, mode, created_at) VALUES (?, ?, ?, ?, 'test', ?)",
    )
    .run(
      `key_bench_reports_${merchantId}`,
      merchantId,
      createHash("sha256").update(key).digest("hex"),
      key.slice(0, 12),
      created,
    );
  directory.prepare("INSERT INTO merchant_shards (merchant_id, shard) VALUES (?, ?)").run(merchantId, shard);
  directory.exec("COMMIT");
  directory.close();
  return state;
}

/**
 * Seeds `persist` until the merchant has at least `lines` ledger lines (a fresh folder gets the
 * migrations and the merchant first). Returns the seed state with this run's timings.
 * wrangler (dev or otherwise) must not be running on `persist`.
 */
export async function seed({ persist, lines, log = console.log }) {
  persist = resolve(persist);
  let state = readSeedState(persist);
  if (!state) {
    const t = performance.now();
    const databases = await migrateDatabases(persist);
    log(
      `seed: migrations applied to ${Object.keys(databases).join(", ")} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    state = await createMerchant(persist, databases);
    log(`seed: merchant ${state.merchant_id} in the directory (DB), its read model on ${state.shard}`);
  }
  const db = await openSqlite(databaseFile(persist, state, state.shard));
  // This connection only: 256 MB of cache for the rollup upserts; a crash mid-seed means reseeding anyway.
  db.exec("PRAGMA cache_size = -262144; PRAGMA synchronous = OFF");
  const write = await consumerWriter(db);
  const now = Date.parse(state.now);
  const span = state.span_days * DAY;

  const started = performance.now();
  const from = { lines: state.ledger_lines, states: state.installment_states, customers: state.customers };
  const pending = [];
  const written = { batches: 0, messages: 0, statements: 0 };
  const flush = (all) => {
    while (pending.length >= BATCH || (all && pending.length > 0)) {
      const batch = pending.splice(0, BATCH);
      written.statements += write(batch);
      written.batches++;
      written.messages += batch.length;
    }
  };
  let reported = state.ledger_lines;
  while (state.ledger_lines < lines) {
    const book = customerMessages(state.merchant_id, customerBook(state.seed, state.customers, now, span));
    pending.push(...book.messages);
    flush(false);
    state.customers++;
    state.purchases += book.purchases;
    state.ledger_lines += book.lines;
    state.installment_states += book.states;
    if (state.ledger_lines - reported >= REPORT_EVERY) {
      reported = state.ledger_lines;
      log(
        `seed: ${state.ledger_lines.toLocaleString("en")} ledger lines, ${state.installment_states.toLocaleString("en")} installment states, ` +
          `${state.customers.toLocaleString("en")} customers (${((state.ledger_lines - from.lines) / ((performance.now() - started) / 1000)).toFixed(0)} lines/s)`,
      );
    }
  }
  flush(true);
  const seconds = (performance.now() - started) / 1000;
  log(
    `seed: ${written.messages.toLocaleString("en")} projection messages in ${written.batches.toLocaleString("en")} consumer batches ` +
      `(${written.statements.toLocaleString("en")} statements) in ${seconds.toFixed(1)} s`,
  );
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

  // The book must balance, and what the installment states say is owed must be the receivable.
  const balance = db
    .prepare(
      `SELECT currency, SUM(amount) AS sum, SUM(CASE WHEN account = 'customer_receivable' THEN amount ELSE 0 END) AS receivable,
              COUNT(*) AS lines
       FROM ledger_entries WHERE merchant_id = ? AND livemode = 0 GROUP BY currency ORDER BY currency`,
    )
    .all(state.merchant_id);
  const byCurrency = (select, where = "") =>
    Object.fromEntries(
      db
        .prepare(`${select} WHERE merchant_id = ? AND livemode = 0 ${where} GROUP BY currency`)
        .all(state.merchant_id)
        .map((r) => [r.currency, r.amount]),
    );
  const owed = byCurrency("SELECT currency, SUM(owed) AS amount FROM installments");
  // The consumer's rollups must say the same: the monthly ledger rollup, and the receivable's history.
  const rolledUp = byCurrency(
    "SELECT currency, SUM(amount) AS amount FROM ledger_rollups",
    "AND grain = 'm' AND account = 'customer_receivable'",
  );
  const history = byCurrency("SELECT currency, SUM(amount) AS amount FROM receivable_history");
  const check = balance.map((r) => ({
    currency: r.currency,
    lines: r.lines,
    sum: r.sum,
    receivable: r.receivable,
    owed: owed[r.currency] ?? 0,
    rollup_receivable: rolledUp[r.currency] ?? 0,
    history_receivable: history[r.currency] ?? 0,
  }));
  const balanced = check.every(
    (r) => r.sum === 0 && [r.owed, r.rollup_receivable, r.history_receivable].every((x) => x === r.receivable),
  );
  log(
    `seed: ledger balance ${check.map((r) => `${r.currency} ${r.sum} (receivable ${r.receivable}, installments owed ${r.owed}, rollups ${r.rollup_receivable} and ${r.history_receivable})`).join("; ")}: ${balanced ? "balanced" : "NOT BALANCED"}`,
  );
  db.close();

  state.seeding.push({
    to_lines: state.ledger_lines,
    added_lines: state.ledger_lines - from.lines,
    added_installment_states: state.installment_states - from.states,
    added_customers: state.customers - from.customers,
    seconds,
    consumer: written,
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
