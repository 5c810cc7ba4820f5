// What `pnpm dev [-- wrangler flags]` runs, worked out from its arguments with no side effects (so
// packages/sdk/test/node/dev-plan.test.ts can check it): the migrations and `wrangler dev` must
// act on the same database, so every flag that says which one goes to both.

/** Flags that choose the database (state folder, config, environment): `d1 migrations apply` takes them too. */
const DATABASE_FLAGS = ["--persist-to", "--config", "-c", "--env", "-e", "--env-file", "--cwd"];

/** The value of `name` in `args`, written `name value` or `name=value`. */
export function flagValue(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** The database-choosing flags in `args`, each with its value, as they were written. */
export function databaseFlags(args) {
  const kept = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (DATABASE_FLAGS.includes(arg) && i + 1 < args.length) kept.push(arg, args[++i]);
    else if (DATABASE_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) kept.push(arg);
  }
  return kept;
}

/** ADMIN_TOKEN from a `--var ADMIN_TOKEN:…` flag, else from the text of .dev.vars. */
function adminToken(args, devVars) {
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === "--var" ? args[i + 1] : args[i].startsWith("--var=") ? args[i].slice(6) : undefined;
    const match = value?.match(/^ADMIN_TOKEN[:=](.+)$/);
    if (match) return match[1];
  }
  return devVars?.match(/^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m)?.[1];
}

/**
 * @param {string[]} argv the script's arguments (`process.argv.slice(2)`)
 * @param {{ devVars?: string, newToken: () => string }} options the text of .dev.vars, if any, and
 *   how to make up an admin token when none is given
 * @returns {{ port: number, adminToken: string, migrate: string[], dev: string[], demoFile: string }}
 *   wrangler's arguments for the migrations and for `wrangler dev`, and where the demo merchant's
 *   key is kept (relative to the repository root): beside the database it lives in
 */
export function devPlan(argv, { devVars, newToken }) {
  // pnpm 10 hands the `--` of `pnpm dev -- --port 9000` to the script: drop it.
  const args = argv.filter((a) => a !== "--");
  const dev = ["dev", ...args];
  const port = Number(flagValue(args, "--port") ?? 8787);
  if (!flagValue(args, "--port")) dev.push("--port", String(port));
  let token = adminToken(args, devVars);
  if (!token) {
    token = newToken();
    dev.push("--var", `ADMIN_TOKEN:${token}`);
  }
  // Local receivers on plain http://localhost may take webhooks here; a deploy never sets this.
  if (!args.some((a) => /WEBHOOK_ALLOW_HTTP[:=]/.test(a))) dev.push("--var", "WEBHOOK_ALLOW_HTTP:true");
  const migrate = ["d1", "migrations", "apply", "DB", "--local", ...databaseFlags(args)];
  const persistTo = flagValue(args, "--persist-to");
  const demoFile = persistTo ? `${persistTo.replace(/\/$/, "")}/demo-merchant.json` : ".wrangler/demo-merchant.json";
  return { port, adminToken: token, migrate, dev, demoFile };
}

/** One line for what `wrangler d1 migrations apply` printed (about 250 lines of tables). */
export function migrationSummary(output, flags) {
  const applied = output.match(/About to apply (\d+) migration/)?.[1];
  const where = flagValue(flags, "--persist-to") ?? ".wrangler/state";
  const what = applied ? `${applied} applied` : /No migrations to apply/.test(output) ? "up to date" : "done";
  return `dev: D1 migrations ${what} (local database in ${where})`;
}

/**
 * Every D1 binding a wrangler config names (the directory DB and the read-model shards READ_MODEL_<n>,
 * in any environment): each one is migrated, with the same migrations.
 */
export function d1Bindings(configText) {
  const names = [...configText.matchAll(/d1_databases\]\]\s*\nbinding\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  return [...new Set(names)];
}

/** `migrate` (the directory's command) aimed at another of the config's D1 bindings. */
export const migrateBinding = (migrate, binding) => migrate.map((arg, i) => (i === 3 ? binding : arg));

/**
 * `pnpm dev`'s SECRETS_KEY (src/secrets): the caller's (`--var SECRETS_KEY:…` or .dev.vars), else the
 * one kept beside the database, else a new one to keep there, since what it sealed (the local D1's
 * webhook signing secrets) must still open on the next start.
 * @param {string[]} argv the script's arguments
 * @param {{ devVars?: string, saved?: string, newKey: () => string }} options
 * @returns {{ flags: string[], save?: string }} flags for `wrangler dev`, and a new key to keep
 */
export function devSecretsKey(argv, { devVars, saved, newKey }) {
  if (argv.some((a) => /SECRETS_KEY[:=]/.test(a)) || /^SECRETS_KEY\s*=/m.test(devVars ?? "")) return { flags: [] };
  const kept = saved?.trim();
  const key = kept || newKey();
  return { flags: ["--var", `SECRETS_KEY:${key}`], ...(kept ? {} : { save: key }) };
}

/**
 * Whether `pnpm dev` offers to seed the demo merchant's book: only when the book is empty and someone
 * is there to answer (stdin and stdout both a terminal). CI has no stdin: it is never asked, never waits.
 * @param {{ bookEmpty: boolean, stdinIsTTY?: boolean, stdoutIsTTY?: boolean }} state
 */
export function offersSeed({ bookEmpty, stdinIsTTY, stdoutIsTTY }) {
  return Boolean(bookEmpty && stdinIsTTY && stdoutIsTTY);
}
