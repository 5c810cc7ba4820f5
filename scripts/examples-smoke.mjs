#!/usr/bin/env node
// `pnpm examples:smoke`: runs each example the way its README says, against a Tranche this script
// starts (`pnpm dev` on a free port, over a state folder of its own in the temporary directory, so
// its purchases never reach the developer's demo merchant), and checks what it prints or answers.
// Every example is told that Tranche's address and key explicitly, and the wranglers it starts use
// a dev registry of their own, so a `pnpm dev` elsewhere on the machine neither serves nor sees them.
// Not part of `pnpm test`: it needs two wrangler processes.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const state = mkdtempSync(join(tmpdir(), "tranche-examples-"));
const env = { ...process.env, WRANGLER_REGISTRY_PATH: join(state, "registry") };
const children = [];
let failed = 0;

const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** Starts a long-running command in its own process group; resolves once its output shows `ready`. */
function start(args, ready) {
  const child = spawn("pnpm", args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${output}`)), 120_000);
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}:\n${output}`)));
  });
}

function check(title, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${title}${ok ? "" : `\n${detail}`}`);
  if (!ok) failed++;
}

async function shop(base, path, body) {
  const res = await fetch(base + path, {
    method: body === undefined && !path.endsWith("/ship") ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

try {
  const tranchePort = await freePort();
  const shopPort = await freePort();
  const tranche = join(state, "tranche");
  await start(["dev", "--", "--port", String(tranchePort), "--persist-to", tranche], /Tranche is running/);
  // `pnpm dev` keeps the demo merchant's key beside the database it lives in.
  const key = JSON.parse(readFileSync(join(tranche, "demo-merchant.json"), "utf8")).secret_key;
  const url = `http://localhost:${tranchePort}`;
  // node-checkout's and merchant-worker's names for the Tranche to call and its key.
  Object.assign(env, { TRANCHE_BASE_URL: url, TRANCHE_URL: url, TRANCHE_API_KEY: key });

  const out = execFileSync("pnpm", ["--filter", "node-checkout", "start"], { cwd: root, encoding: "utf8", env });
  const payments = out.match(/#\d+ +€[\d,.]+ paid/g) ?? [];
  check(
    "node-checkout: six installments paid, purchase completed",
    payments.length === 6 && /completed/.test(out),
    out,
  );

  const shopArgs = ["--port", String(shopPort), "--persist-to", join(state, "shop")];
  const quickstart = execFileSync("pnpm", ["example:sdk"], { cwd: root, encoding: "utf8", env });
  check(
    "sdk-quickstart (the README's snippet): a purchase created, then listed",
    /(pur_\w+) active 12000\n\1 active\n/.test(quickstart),
    quickstart,
  );

  await start(["--filter", "merchant-worker", "dev", "--", ...shopArgs], /Ready on/);
  const base = `http://localhost:${shopPort}`;
  const created = await shop(base, "/checkout", { email: "ada@example.com", amount: 12000 });
  check(
    "merchant-worker: checkout through its Tranche",
    created.status === 201 && created.body.status === "requires_capture" && created.body.installments.length === 4,
    JSON.stringify(created),
  );
  const shipped = await shop(base, `/orders/${created.body.id}/ship`);
  check("merchant-worker: ship captures", shipped.body.status === "active", JSON.stringify(shipped));
  const order = await shop(base, `/orders/${created.body.id}`);
  check("merchant-worker: order retrieved", order.body.captured_at === shipped.body.captured_at, JSON.stringify(order));
  const invalid = await shop(base, "/checkout", { email: "ada@example.com", amount: -1 });
  check(
    "merchant-worker: Tranche's validation problem passed on",
    invalid.status === 400 && invalid.body.code === "validation_error",
    JSON.stringify(invalid),
  );
} catch (error) {
  check("examples smoke", false, error.stack);
} finally {
  const exited = children.map((child) =>
    child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : undefined,
  );
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
  // The state folder goes once nothing writes to it any more.
  await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  rmSync(state, { recursive: true, force: true });
}
console.log(failed ? `examples smoke: ${failed} failed` : "examples smoke: all passed");
process.exit(failed ? 1 : 0);
