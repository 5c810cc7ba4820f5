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
// Not written: the customers/purchases/events projections and the Durable Objects' own storage
// (no report reads them), so these customers cannot be used through the rest of the API.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

// --- Deterministic generation ---------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A ULID-shaped id like the Worker's `newId`, its random part from `rand`. */
function ulid(prefix, ms, rand) {
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rand() * 32)];
  return `${prefix}_${time}${tail}`;
}

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();
const addMonthsClamped = (ms, n) => {
  const d = new Date(ms);
  const day = d.getUTCDate();
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + n);
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.getTime();
};

/** Currencies of the book and how their customers are spread (SEK amounts are ten times larger). */
const CURRENCIES = [
  ["EUR", 0.5, 1],
  ["SEK", 0.25, 10],
  ["USD", 0.25, 1],
];

/** pay_in_4: four equal parts every 14 days, the first at capture, leftover minor units to the first. */
function payIn4(amount, t0) {
  const part = Math.floor(amount / 4);
  return [0, 1, 2, 3].map((k) => ({
    number: k + 1,
    due: t0 + k * 14 * DAY,
    principal: part + (k === 0 ? amount - 4 * part : 0),
    interest: 0,
  }));
}

/** 12 monthly level payments at 19.99% APR, first a month after capture; the last absorbs rounding. */
function financing12(amount, t0) {
  const n = 12;
  const r = 1999 / 10_000 / 12;
  const payment = Math.round((amount * r) / (1 - (1 + r) ** -n));
  let balance = amount;
  return Array.from({ length: n }, (_, k) => {
    const interest = Math.round(balance * r);
    const principal = k === n - 1 ? balance : Math.min(balance, payment - interest);
    balance -= principal;
    return { number: k + 1, due: addMonthsClamped(t0, k + 1), principal, interest };
  });
}

/**
 * One customer's whole history up to `now`: ledger postings and installment states, in the order
 * the customer's object would have made them. Deterministic in (seed, index).
 */
function customerBook(seed, index, now, span) {
  const rand = mulberry32((seed * 1_000_003 + index * 7919) >>> 0);
  const pick = (weights) => {
    let x = rand();
    for (const w of weights) {
      x -= w[1];
      if (x < 0) return w;
    }
    return weights[weights.length - 1];
  };
  const [currency, , scale] = pick(CURRENCIES);
  const since = now - span;
  const firstAt = since + Math.floor(rand() * span);
  const customer = ulid("cus", firstAt, rand);
  const out = []; // { at, order, kind: "post" | "log", ... }
  let order = 0;
  const post = (at, purchase, event, lines) =>
    out.push({ at, order: order++, kind: "post", purchase, event, lines: lines.filter(([, a]) => a !== 0) });
  const log = (at, purchase, inst, status, outcome) =>
    out.push({
      at,
      order: order++,
      kind: "log",
      purchase,
      number: inst.number,
      due_at: iso(inst.due),
      status,
      outcome,
      amount: inst.principal + inst.interest + inst.fee,
      owed: ["pending", "dunning", "failed"].includes(outcome) ? inst.principal + inst.interest + inst.fee : 0,
    });

  // 1 to 4 purchases, mostly 1 or 2.
  const count = 1 + (rand() < 0.45 ? 1 : 0) + (rand() < 0.2 ? 1 : 0) + (rand() < 0.08 ? 1 : 0);
  for (let p = 0; p < count; p++) {
    const t0 = p === 0 ? firstAt : since + Math.floor(rand() * span);
    const financed = rand() < 0.3;
    const amount = Math.round(
      (financed ? 30_000 + rand() * 270_000 : 2_000 + rand() * 48_000) * scale * (0.5 + rand()),
    );
    const purchase = ulid("pur", t0, rand);
    const plan = (financed ? financing12 : payIn4)(amount, t0).map((i) => ({ ...i, fee: 0, done: false }));
    const interestTotal = plan.reduce((s, i) => s + i.interest, 0);
    post(t0, purchase, "capture", [
      ["customer_receivable", amount + interestTotal],
      ["merchant_payable", -amount],
      ["unearned_interest", -interestTotal],
    ]);
    for (const inst of plan) log(t0, purchase, inst, "scheduled", "pending");

    const paid = (at, inst, late) => {
      const charge = inst.principal + inst.interest + inst.fee;
      post(at, purchase, "installment_paid", [
        ["processor_clearing", charge],
        ["customer_receivable", -charge],
        ["unearned_interest", inst.interest],
        ["interest_income", -inst.interest],
      ]);
      inst.done = true;
      log(at, purchase, inst, "paid", late ? "late" : "on_time");
    };

    // pay_in_4's first part is charged at capture.
    if (!financed) paid(t0, plan[0], false);

    // About 3% are refunded in full before the next installment falls due.
    const refundAt = t0 + DAY + Math.floor(rand() * 11 * DAY);
    if (rand() < 0.03 && refundAt <= now) {
      const open = plan.filter((i) => !i.done);
      const cash = plan.filter((i) => i.done).reduce((s, i) => s + i.principal, 0);
      const principal = open.reduce((s, i) => s + i.principal, 0);
      const interest = open.reduce((s, i) => s + i.interest, 0);
      post(refundAt, purchase, "refund", [
        ["merchant_payable", amount],
        ["customer_receivable", -(principal + interest)],
        ["unearned_interest", interest],
        ["customer_credit", -cash],
      ]);
      for (const inst of open) {
        inst.done = true;
        log(refundAt, purchase, inst, "refunded", "none");
      }
      if (cash > 0 && refundAt + 2 * DAY <= now)
        post(refundAt + 2 * DAY, purchase, "refund_payout", [
          ["customer_credit", cash],
          ["processor_clearing", -cash],
        ]);
      continue;
    }

    for (const inst of plan) {
      if (inst.done) continue;
      const tf = inst.due + Math.floor(rand() * 300_000);
      if (tf > now) continue;
      if (rand() < 0.9) {
        paid(tf, inst, false);
        continue;
      }
      // The charge fails: dunning, perhaps a late fee, retries, then failed for good.
      log(tf, purchase, inst, "failed", "dunning");
      if (rand() < 0.5) {
        const fee = Math.min(2_500 * scale, Math.max(100 * scale, Math.round((inst.principal + inst.interest) * 0.05)));
        post(tf + 1, purchase, "late_fee", [
          ["customer_receivable", fee],
          ["fee_income", -fee],
        ]);
        inst.fee += fee;
        log(tf + 1, purchase, inst, "retrying", "dunning");
      }
      const r1 = rand();
      if (r1 < 0.55) {
        if (tf + 3 * DAY <= now) paid(tf + 3 * DAY, inst, true);
        continue;
      }
      if (r1 < 0.8) {
        if (tf + 7 * DAY <= now) paid(tf + 7 * DAY, inst, true);
        continue;
      }
      if (tf + 10 * DAY > now) continue;
      log(tf + 10 * DAY, purchase, inst, "failed_final", "failed");
      const r2 = rand();
      if (r2 < 0.3) {
        if (tf + 20 * DAY <= now) paid(tf + 20 * DAY, inst, true);
      } else if (r2 < 0.8 && tf + 60 * DAY <= now) {
        const charge = inst.principal + inst.interest + inst.fee;
        post(tf + 60 * DAY, purchase, "write_off", [
          ["bad_debt", inst.principal + inst.fee],
          ["unearned_interest", inst.interest],
          ["customer_receivable", -charge],
        ]);
        inst.done = true;
        log(tf + 60 * DAY, purchase, inst, "written_off", "written_off");
      }
    }
  }
  out.sort((a, b) => a.at - b.at || a.order - b.order);
  return { customer, currency, events: out };
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
