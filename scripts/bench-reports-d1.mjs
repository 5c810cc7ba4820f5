// The local D1 files of `pnpm bench:reports`, as node:sqlite opens them while wrangler is stopped:
// which file is which database, and the projection consumer's own statements run on them
// (bench-reports-seed.mjs writes the book with these; bench-reports-measure.mjs counts rows).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { databases, migrate } from "./bench-wrangler.mjs";

/** node:sqlite is unflagged from Node 22.13 but still says it is experimental on every run. */
export async function openSqlite(file, options = {}) {
  const emit = process.emitWarning;
  process.emitWarning = (warning, ...rest) =>
    String(warning).includes("SQLite") ? undefined : emit.call(process, warning, ...rest);
  try {
    const { DatabaseSync } = await import("node:sqlite");
    return new DatabaseSync(file, options);
  } catch (err) {
    throw new Error(`bench:reports needs node:sqlite (Node ≥ 22.13): ${err.message}`);
  } finally {
    process.emitWarning = emit;
  }
}

const d1Dir = (persist) => join(persist, "v3/d1/miniflare-D1DatabaseObject");
const sqliteFiles = (persist) =>
  existsSync(d1Dir(persist)) ? readdirSync(d1Dir(persist)).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f)) : [];

/**
 * Migrates every D1 database of wrangler.toml into `persist`, one at a time, and returns each
 * binding's file name there. Miniflare names a database's file by a hash of its id that only
 * workerd computes, and a database's file appears when it is first opened: so the file new after
 * migrating a binding is that binding's.
 */
export async function migrateDatabases(persist) {
  const files = {};
  for (const binding of databases()) {
    const before = new Set(sqliteFiles(persist));
    await migrate(persist, [binding]);
    const added = sqliteFiles(persist).filter((f) => !before.has(f));
    if (added.length !== 1) throw new Error(`migrating ${binding} made ${added.length} D1 files in ${d1Dir(persist)}`);
    files[binding] = added[0];
  }
  return files;
}

/** The file of the database bound as `binding` (DB, READ_MODEL_0, …) in a seeded state folder. */
export function databaseFile(persist, state, binding) {
  const file = state.databases?.[binding];
  if (!file) throw new Error(`${persist}: the seed state names no D1 file for ${binding}`);
  return join(d1Dir(persist), file);
}

/** The Worker's own modules, loaded with tsx: the bench runs the code production runs. */
export async function workerModule(path) {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(`../packages/worker/src/${path}`, import.meta.url);
}

/**
 * A writer of queue batches into a read-model shard opened with node:sqlite, through the
 * projection consumer's own code: `aggregate` (src/projection/aggregate.ts) turns the messages into
 * the batch's rows and `batchStatements` (statements.ts) into its statements, given a stand-in for
 * D1 that only records each statement's SQL and parameters; they then run here in order in one
 * transaction, as D1's `batch()` runs them. So the rollups are exactly what production writes.
 * Returns a function of one batch's messages that answers the statements it ran.
 */
export async function consumerWriter(sqlite) {
  const { aggregate } = await workerModule("projection/aggregate.ts");
  const { batchStatements } = await workerModule("projection/statements.ts");
  const recorder = { prepare: (sql) => ({ bind: (...params) => ({ sql, params }) }) };
  const prepared = new Map();
  return (messages) => {
    const statements = batchStatements(recorder, aggregate(messages));
    sqlite.exec("BEGIN");
    try {
      for (const { sql, params } of statements) {
        if (!prepared.has(sql)) prepared.set(sql, sqlite.prepare(sql));
        prepared.get(sql).run(...params);
      }
      sqlite.exec("COMMIT");
    } catch (err) {
      sqlite.exec("ROLLBACK");
      throw err;
    }
    return statements.length;
  };
}
