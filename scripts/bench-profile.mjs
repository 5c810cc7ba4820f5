#!/usr/bin/env node
// `pnpm bench:profile`: where the time of POST /v1/purchases goes. Starts the Worker on wrangler dev
// with its inspector open, drives the purchase load of `pnpm bench` for BENCH_SECONDS, samples
// workerd's CPU through the DevTools protocol meanwhile, and prints the functions with the most
// self time, and the same by module. Locally the Worker, the objects and D1 share one workerd
// process, so the profile is the whole purchase: request, object, consumer, D1.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import WebSocket from "ws";
import { client, purchaseBody, shop } from "./bench-client.mjs";
import { migrate, root, startWrangler } from "./bench-wrangler.mjs";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const INSPECTOR = Number(process.env.BENCH_INSPECTOR_PORT ?? 9331);
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 30);
const ADMIN = "bench-admin-token";

const persist = join(root, ".wrangler/bench-profile-state");
rmSync(persist, { recursive: true, force: true });
await migrate(persist);
const worker = await startWrangler(persist, { ADMIN_TOKEN: ADMIN }, ["--inspector-port", String(INSPECTOR)]);
const api = client(worker.base);
const { key, shoppers } = await shop(api, ADMIN, "Profile", 50);

/**
 * A DevTools protocol session through wrangler's inspector proxy (`ws`: the proxy refuses Node's
 * built-in WebSocket's handshake). Answers carry the command's id.
 */
async function devtools() {
  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json/list`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.on("open", resolve).on("error", reject));
  let id = 0;
  const waiting = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    waiting.get(msg.id)?.(msg);
    waiting.delete(msg.id);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        waiting.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

const session = await devtools();
await session.send("Profiler.enable");
await session.send("Profiler.setSamplingInterval", { interval: 200 });
await session.send("Profiler.start");
let n = 0;
const load = await autocannon({
  url: worker.base,
  connections: CONNECTIONS,
  duration: DURATION,
  requests: [
    {
      method: "POST",
      path: "/v1/purchases",
      setupRequest: (req) => ({
        ...req,
        headers: {
          Authorization: `Bearer ${key}`,
          "Content-Type": "application/json",
          "Idempotency-Key": `profile-${n}-${Date.now()}`,
        },
        body: JSON.stringify(purchaseBody(shoppers[n++ % shoppers.length])),
      }),
    },
  ],
});
const { result } = await session.send("Profiler.stop");
session.close();
await worker.stop();
const profile = result.profile;
writeFileSync(join(root, "bench/results/purchase-profile.cpuprofile"), JSON.stringify(profile));

// Self time per node: the samples that landed in it, times their interval.
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const node = profile.samples[i];
  self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byModule = new Map();
for (const node of profile.nodes) {
  const ms = self.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split("/").slice(-2).join("/") || "(native)";
  const fn = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  byModule.set(file, (byModule.get(file) ?? 0) + ms);
}
const print = (title, map) => {
  console.log(`\n| ${title} | self ms | share |\n|---|---:|---:|`);
  for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`| ${name} | ${ms.toFixed(0)} | ${((ms / total) * 100).toFixed(1)}% |`);
};
console.log(
  `\nbench:profile: POST /v1/purchases, ${DURATION}s, ${CONNECTIONS} connections: ${load.requests.total} requests ` +
    `(${load.requests.average.toFixed(0)}/s), ${total.toFixed(0)} ms sampled in the isolate; ` +
    "bench/results/purchase-profile.cpuprofile opens in Chrome's DevTools",
);
print("function (self time)", byFunction);
print("module", byModule);
