// The benchmarks' Worker: `wrangler dev` on a state folder of their own, on a free port, with the
// reference routes on (BENCH_BARE_ROUTE) and production's analytics path (writeDataPoint, which
// never waits, rather than the local store's D1 writes).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { d1Bindings } from "./dev-plan.mjs";

/** The bench's SECRETS_KEY (src/secrets): fixed, so a kept state folder (BENCH_PERSIST_DIR) still opens. Local only. */
const BENCH_SECRETS_KEY = "bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules/.bin/wrangler");
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** The D1 bindings of wrangler.toml: the directory (DB) and every read-model shard. */
export const databases = () => d1Bindings(readFileSync(join(root, "wrangler.toml"), "utf8"));

/**
 * Applies the D1 migrations to the state folder: to `bindings`, by default every database;
 * `args` more of wrangler's flags (another `--config`). Throws if a database cannot be migrated.
 */
export async function migrate(persist, bindings = databases(), args = []) {
  for (const binding of bindings) {
    const child = spawn(wrangler, ["d1", "migrations", "apply", binding, "--local", "--persist-to", persist, ...args], {
      cwd: root,
      env: { ...env, CI: "true" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const code = await new Promise((done) => child.on("exit", done));
    if (code !== 0) throw new Error(`migrating ${binding} failed (${code})`);
  }
}

/**
 * Starts the Worker and waits for /health; `vars` are extra `--var NAME:value` pairs, `args` more of
 * wrangler dev's flags (another `--config` runs another Worker).
 */
export async function startWrangler(persist, vars = {}, args = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const settings = { BENCH_BARE_ROUTE: "1", ANALYTICS_BACKEND: "engine", SECRETS_KEY: BENCH_SECRETS_KEY, ...vars };
  const child = spawn(
    wrangler,
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persist,
      "--log-level",
      "error",
      ...Object.entries(settings).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      ...args,
    ],
    { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise((done) => child.on("exit", done));
  const kill = () => child.kill("SIGTERM");
  process.on("exit", kill);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error("wrangler dev exited");
    if (i > 240) throw new Error("wrangler dev did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    stop: async () => {
      kill();
      await exited;
      process.off("exit", kill);
    },
  };
}
