#!/usr/bin/env node
// `pnpm --filter @tranche/sdk test:runtimes`: the built ESM file, unmodified, in Bun, Deno and a
// headless Chromium, against a small fake API on this machine: a POST that first fails with a 503 and
// must be retried with the same Idempotency-Key, then a 404 that must become a NotFoundError.
// Node and workerd run the SDK in `pnpm test`; these runtimes are not installed by the project, so
// this is not part of it: each is looked up as $BUN, $DENO, $CHROMIUM or on PATH, and skipped if absent.
import { execFile, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sdk = join(import.meta.dirname, "..");
execFileSync(join(sdk, "node_modules/.bin/tsup"), ["--silent"], { cwd: sdk, stdio: "inherit" });

const CHECK = (sdkUrl) => `
  const { Tranche, NotFoundError } = await import(${JSON.stringify(sdkUrl)});
  const tranche = new Tranche("sk_test_x", { baseUrl: location?.origin ?? BASE, maxRetries: 1 });
  const customer = await tranche.customers.create({ email: "ada@example.com" });
  const missing = await tranche.customers.retrieve("cus_missing").catch((e) => e);
  const result = JSON.stringify({
    retriedWithOneKey: customer.keys.length === 2 && customer.keys[0] === customer.keys[1],
    notFound: missing instanceof NotFoundError && missing.status === 404 && missing.requestId === "req_fake",
  });
`;
const EXPECTED = JSON.stringify({ retriedWithOneKey: true, notFound: true });

/** Attempts per Idempotency-Key: the first answers 503, the next 201 with every key seen. */
const attempts = new Map();
const server = createServer(async (req, res) => {
  const send = (status, body, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type, "Request-Id": "req_fake" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  if (req.url === "/sdk.js") return send(200, readFileSync(join(sdk, "dist/index.js"), "utf8"), "text/javascript");
  if (req.url === "/page.html") {
    const page =
      `<body>pending</body><script type="module">try {${CHECK("/sdk.js")}document.body.textContent = result; }` +
      ` catch (e) { document.body.textContent = String(e.stack ?? e); }</script>`;
    return send(200, page, "text/html");
  }
  if (req.method === "POST" && req.url === "/v1/customers") {
    const key = req.headers["idempotency-key"];
    const seen = [...(attempts.get(key) ?? []), key];
    attempts.set(key, seen);
    if (seen.length === 1) return send(503, { detail: "try again", code: "internal_error", status: 503 });
    return send(201, { id: "cus_1", object: "customer", keys: seen });
  }
  send(404, {
    type: "/docs/errors#not_found",
    title: "Not found",
    status: 404,
    detail: "No such customer.",
    code: "not_found",
    request_id: "req_fake",
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const script = join(tmpdir(), "tranche-sdk-runtime-check.mjs");
writeFileSync(
  script,
  `const BASE = ${JSON.stringify(base)}; const location = undefined;\n${CHECK(join(sdk, "dist/index.js"))}console.log(result);\n`,
);

const runtimes = [
  ["bun", process.env.BUN ?? "bun", (bin) => [bin, ["run", script]]],
  ["deno", process.env.DENO ?? "deno", (bin) => [bin, ["run", "--allow-net", "--allow-read", script]]],
  [
    "chromium",
    process.env.CHROMIUM ?? "chromium",
    (bin) => [
      bin,
      ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000", "--dump-dom", `${base}/page.html`],
    ],
  ],
];

let failed = 0;
for (const [name, bin, command] of runtimes) {
  const [file, args] = command(bin);
  let output;
  try {
    // Asynchronously: the fake API answers from this process meanwhile.
    output = await new Promise((resolve, reject) => {
      execFile(file, args, { timeout: 60_000, encoding: "utf8" }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
  } catch (error) {
    if (error.code === "ENOENT") {
      console.log(`skip ${name}: not found (set $${name.toUpperCase()})`);
      continue;
    }
    output = String(error);
  }
  const ok = output.includes(EXPECTED);
  if (!ok) failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `: ${output.slice(0, 500)}`}`);
}
server.close();
process.exit(failed ? 1 : 0);
