#!/usr/bin/env node
// `pnpm dev [-- wrangler flags]`: applies the local D1 migrations, starts `wrangler dev`, then
// prints a demo merchant's test key (kept in .wrangler/ and reused while it still works).
// Every flag is passed on to wrangler; --port and --var ADMIN_TOKEN:… are also read here.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules/.bin/wrangler");
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

// pnpm 10 hands the `--` of `pnpm dev -- --port 9000` to the script: drop it.
const args = process.argv.slice(2).filter((a) => a !== "--");

function flagValue(name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

function adminTokenFromArgs() {
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === "--var" ? args[i + 1] : args[i].startsWith("--var=") ? args[i].slice(6) : undefined;
    const match = value?.match(/^ADMIN_TOKEN[:=](.+)$/);
    if (match) return match[1];
  }
  const devVars = join(root, ".dev.vars");
  if (existsSync(devVars)) return readFileSync(devVars, "utf8").match(/^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m)?.[1];
  return undefined;
}

const port = Number(flagValue("--port") ?? 8787);
let adminToken = adminTokenFromArgs();
const wranglerArgs = ["dev", ...args];
if (!flagValue("--port")) wranglerArgs.push("--port", String(port));
if (!adminToken) {
  adminToken = `dev_admin_${randomBytes(12).toString("hex")}`;
  wranglerArgs.push("--var", `ADMIN_TOKEN:${adminToken}`);
}
// Local receivers on plain http://localhost may take webhooks here; a deploy never sets this.
if (!args.some((a) => /WEBHOOK_ALLOW_HTTP[:=]/.test(a))) wranglerArgs.push("--var", "WEBHOOK_ALLOW_HTTP:true");

console.log("dev: applying D1 migrations to the local database…");
const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local"], {
  cwd: root,
  env: { ...env, CI: "true" },
  stdio: ["ignore", "inherit", "inherit"],
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const child = spawn(wrangler, wranglerArgs, { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));

const base = `http://localhost:${port}`;
const stateFile = join(root, ".wrangler/demo-merchant.json");

async function waitForHealth() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
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

if (!(await waitForHealth())) {
  console.error(`dev: ${base}/health did not answer; see wrangler's output above.`);
} else {
  try {
    const merchant = await demoKey();
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
  } catch (error) {
    console.error(`dev: ${error.message}`);
  }
}
