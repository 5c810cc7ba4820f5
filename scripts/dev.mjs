#!/usr/bin/env node
// `pnpm dev [-- wrangler flags]`: applies the local D1 migrations (one line of output), starts
// `wrangler dev`, then prints a demo merchant's test key (kept in .wrangler/ and reused while it
// still works). Every flag is passed on to wrangler dev, and those that choose the database
// (--persist-to, --config, --env) to the migrations too: dev-plan.mjs.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import {
  d1Bindings,
  devPlan,
  devSecretsKey,
  flagValue,
  migrateBinding,
  migrationSummary,
  offersSeed,
} from "./dev-plan.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules/.bin/wrangler");
// wrangler's local trace store records each request's URL as sent, before the Worker can drop a
// credential from its query string (docs/operations.md): off unless the developer turns it on.
const env = {
  X_LOCAL_OBSERVABILITY: "false",
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
};

const devVarsFile = join(root, ".dev.vars");
const devVars = existsSync(devVarsFile) ? readFileSync(devVarsFile, "utf8") : undefined;
const plan = devPlan(process.argv.slice(2), {
  devVars,
  newToken: () => `dev_admin_${randomBytes(12).toString("hex")}`,
});
const { port, adminToken } = plan;
const secretsKeyFile = resolve(root, dirname(plan.demoFile), "secrets-key");
const secretsKey = devSecretsKey(process.argv.slice(2), {
  devVars,
  saved: existsSync(secretsKeyFile) ? readFileSync(secretsKeyFile, "utf8") : undefined,
  newKey: () => `dev:${randomBytes(32).toString("base64")}`,
});
if (secretsKey.save) {
  mkdirSync(dirname(secretsKeyFile), { recursive: true });
  writeFileSync(secretsKeyFile, secretsKey.save, { mode: 0o600 });
}
plan.dev.push(...secretsKey.flags);

// The directory and every read-model shard the config binds, each with the same migrations.
const config = readFileSync(
  resolve(root, flagValue(plan.dev, "--config") ?? flagValue(plan.dev, "-c") ?? "wrangler.toml"),
  "utf8",
);
for (const binding of d1Bindings(config)) {
  const command = migrateBinding(plan.migrate, binding);
  const migrate = spawnSync(wrangler, command, { cwd: root, env: { ...env, CI: "true" }, encoding: "utf8" });
  if (migrate.status !== 0) {
    // Only a failure needs wrangler's tables.
    process.stdout.write(migrate.stdout ?? "");
    process.stderr.write(migrate.stderr ?? "");
    console.error(`dev: applying the D1 migrations failed (wrangler ${command.join(" ")})`);
    process.exit(migrate.status ?? 1);
  }
  console.log(`${migrationSummary(`${migrate.stdout}${migrate.stderr}`, command)}: ${binding}`);
}

const base = `http://localhost:${port}`;
const stateFile = resolve(root, plan.demoFile);
const terminal = { stdinIsTTY: process.stdin.isTTY, stdoutIsTTY: process.stdout.isTTY };
// Without a demo merchant yet the book is empty and the offer to seed will be made: the question,
// not wrangler's keyboard shortcuts, gets the keyboard (two readers of one terminal race for keys).
const mayAsk = offersSeed({ bookEmpty: !existsSync(stateFile), ...terminal });

console.log(`dev: starting wrangler dev on port ${port}…`);
const child = spawn(wrangler, plan.dev, { cwd: root, env, stdio: [mayAsk ? "pipe" : "inherit", "pipe", "pipe"] });
// wrangler's start-up output (its bindings table, twice) is held back, and shown only if the start
// fails; once the banner is out, its output (the request log) goes through as it comes.
let held = [];
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  from.on("data", (chunk) => (held ? held.push([to, chunk]) : to.write(chunk)));
}
const release = (show) => {
  if (show) for (const [to, chunk] of held ?? []) to.write(chunk);
  held = null;
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => {
  release(true);
  process.exit(code ?? 0);
});

/** /health's first answer, or undefined when none came within two minutes. */
async function waitForHealth() {
  for (let i = 0; i < 240; i++) {
    try {
      return await fetch(`${base}/health`);
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

async function demoKey() {
  if (existsSync(stateFile)) {
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    const check = await fetch(`${base}/v1/customers?limit=1`, {
      headers: { Authorization: `Bearer ${saved.secret_key}` },
    });
    if (check.ok) return saved;
  }
  const res = await fetch(`${base}/v1/merchants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Demo Merchant", email: "demo@tranche.test" }),
  });
  if (!res.ok) throw new Error(`creating the demo merchant failed: ${res.status} ${await res.text()}`);
  const merchant = await res.json();
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ id: merchant.id, secret_key: merchant.secret_key }, null, 2));
  return merchant;
}

const health = await waitForHealth();
if (!health?.ok) {
  release(true);
  const answer = health ? `answered ${health.status} ${await health.text()}` : "did not answer";
  console.error(`dev: ${base}/health ${answer}; see wrangler's output above.`);
} else {
  try {
    const merchant = await demoKey();
    release(false);
    console.log(`
────────────────────────────────────────────────────────────────────────
 Tranche is running at ${base}
   docs          ${base}/docs
   openapi       ${base}/openapi.json
   demo merchant ${merchant.id}
   test key      ${merchant.secret_key}
   admin token   ${adminToken}

 Try:  curl -s ${base}/v1/customers -H "Authorization: Bearer ${merchant.secret_key}" \\
         -H "Content-Type: application/json" -d '{"email":"ada@example.com"}'
────────────────────────────────────────────────────────────────────────
`);
    if (await bookIsEmpty(merchant.secret_key)) {
      if (mayAsk) await offerSeed(merchant.secret_key);
      else console.log(" The demo book is empty: `pnpm tranche seed` fills it (docs/cli.md).\n");
    }
  } catch (error) {
    release(true);
    console.error(`dev: ${error.message}`);
  }
}

async function bookIsEmpty(key) {
  const res = await fetch(`${base}/v1/customers?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
  return res.ok && (await res.json()).data.length === 0;
}

/** Asks, and on a yes runs `tranche seed` with its defaults; wrangler's request log is held back meanwhile. */
async function offerSeed(key) {
  const ask = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await ask.question(" The demo book is empty. Seed it (50 customers, 6 months on test clocks)? [y/N] ");
  ask.close();
  if (!/^y(es)?$/i.test(answer.trim())) return;
  held = [];
  const seed = spawn("pnpm", ["--silent", "tranche", "seed", "--admin-token", adminToken], {
    cwd: root,
    env: { ...env, TRANCHE_API_KEY: key, TRANCHE_BASE_URL: base },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const code = await new Promise((done) => seed.on("exit", done));
  release(false);
  if (code !== 0) console.error(`dev: seeding exited with ${code}; \`pnpm tranche seed\` tries again.`);
}
