// `pnpm bench:d1`: how many projection batches per second one D1 database takes on this machine. A
// customer object copies each command's changes to D1 in one batch (src/objects/customer/storage/projection.ts),
// and every customer writes to the same database: it is the one part that does not grow with customers.
//
// Method: the Worker (wrangler dev) creates one real pay-in-4 purchase; its rows in D1 (the purchase, its
// ledger lines, events and installments) are the template. Each replay inserts them again under
// new ids, with the projection's statements (multi-row INSERT OR IGNORE, so D1's report triggers fire as
// they do for real), as one batch: the batch a purchase's creation sends. The replays run inside
// workerd (a small Worker on wrangler dev, bound to the same local D1 file), one at a time and then 16
// at once (many customer objects flushing together); from Node, each call through wrangler's platform
// proxy would cost more than the write itself.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { multiRowInserts } from "../packages/worker/src/lib/sql";
import { migrate, startWrangler } from "./bench-wrangler.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** The Worker that reads the template and replays it: JavaScript, run by workerd. */
const REPLAY_WORKER = `
const TABLES = ["purchases", "ledger_entries", "events", "installments"];
// Replays are numbered across requests: each one's ids are new, so every batch writes in full.
let next = 0;
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (url.pathname === "/template") {
      const id = url.searchParams.get("purchase");
      const out = {};
      for (const t of TABLES) {
        const col = t === "purchases" ? "id" : "purchase_id";
        out[t] = (await env.DB.prepare("SELECT * FROM " + t + " WHERE " + col + " = ?").bind(id).all()).results;
      }
      return Response.json(out);
    }
    const { purchase, statements, width, seconds } = await request.json();
    let batches = 0, rows = 0;
    const replay = (n) => statements.map(({ sql, params, ids }) => env.DB.prepare(sql).bind(...params.map((v, i) => {
      const renamed = typeof v === "string" ? v.replaceAll(purchase, purchase + "_" + n) : v;
      return ids.includes(i) ? renamed + "#" + n : renamed;
    })));
    // The clock moves with each batch's I/O, so the loop sees the time its writes took.
    const started = Date.now();
    await Promise.all(Array.from({ length: width }, async () => {
      while (Date.now() - started < seconds * 1000) {
        const results = await env.DB.batch(replay(next++));
        batches++;
        for (const r of results) rows += r.meta.rows_written;
      }
    }));
    const elapsed = (Date.now() - started) / 1000;
    return Response.json({ width, batches_per_s: batches / elapsed, rows_per_s: rows / elapsed, rows_per_batch: rows / batches });
  },
};
`;
const ADMIN = "bench-admin-token";
type Row = Record<string, unknown>;

const persist = mkdtempSync(join(tmpdir(), "tranche-bench-d1-"));
await migrate(persist);
const worker = await startWrangler(persist, { ADMIN_TOKEN: ADMIN });
async function api<T>(path: string, key: string, body: object): Promise<T> {
  const res = await fetch(worker.base + path, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}
const { secret_key: key } = await api<{ secret_key: string }>("/v1/merchants", ADMIN, { name: "D1 bench" });
const customer = await api<{ id: string }>("/v1/customers", key, {});
const card = await api<{ id: string }>(`/v1/customers/${customer.id}/payment_methods`, key, { token: "tok_visa" });
const purchase = await api<{ id: string }>("/v1/purchases", key, {
  customer: customer.id,
  payment_method: card.id,
  amount: 12000,
  currency: "EUR",
  plan: { type: "pay_in_n" },
});
await worker.stop();

// The replay Worker on the same state folder, bound to wrangler.toml's local database (same id, same file).
const replayDir = mkdtempSync(join(tmpdir(), "tranche-bench-d1-worker-"));
writeFileSync(join(replayDir, "replay.js"), REPLAY_WORKER);
writeFileSync(
  join(replayDir, "wrangler.toml"),
  `name = "tranche-bench-d1"
main = "replay.js"
compatibility_date = "2026-10-01"
[[d1_databases]]
binding = "DB"
database_name = "tranche"
database_id = "00000000-0000-4000-8000-000000000000"
`,
);
const replayer = await startWrangler(persist, {}, ["--config", join(replayDir, "wrangler.toml")]);
const bench = (path: string, init?: RequestInit) => fetch(replayer.base + path, init);
const TABLES = ["purchases", "ledger_entries", "events", "installments"] as const;
const template = (await (await bench(`/template?purchase=${purchase.id}`)).json()) as Record<string, Row[]>;
/** The projection's statements for the template, and where each statement binds an `id`. */
const statements = TABLES.flatMap((table) => {
  const rows = template[table] ?? [];
  const [first] = rows;
  if (!first) return [];
  const columns = Object.keys(first);
  return multiRowInserts(
    "INSERT OR IGNORE",
    table,
    columns,
    rows.map((r) => columns.map((c) => r[c])),
  ).map(({ sql, params }) => ({
    sql,
    params,
    ids: params.map((_, i) => i).filter((i) => columns[i % columns.length] === "id"),
  }));
});
const measure = async (width: number) => {
  const res = await bench("/replay", {
    method: "POST",
    body: JSON.stringify({ purchase: purchase.id, statements, width, seconds: SECONDS }),
  });
  return (await res.json()) as { width: number; batches_per_s: number; rows_per_s: number; rows_per_batch: number };
};
const shape = TABLES.map((t) => `${template[t]?.length ?? 0} ${t}`).join(", ");
const results = [await measure(1), await measure(16)];
await replayer.stop();
rmSync(replayDir, { recursive: true, force: true });
rmSync(persist, { recursive: true, force: true });

console.log(`\nbench:d1: one purchase creation's projection batch (${shape}), ${SECONDS} s each, local D1\n`);
console.log("| batches in flight | batches/s | D1 rows written/s | rows written per batch |");
console.log("|---:|---:|---:|---:|");
for (const r of results) {
  console.log(
    `| ${r.width} | ${r.batches_per_s.toFixed(0)} | ${r.rows_per_s.toFixed(0)} | ${r.rows_per_batch.toFixed(0)} |`,
  );
}
