#!/usr/bin/env node
// `pnpm bench:size` (also run by `pnpm bench`): what @tranche/sdk adds to an app, beside stripe.
// Each client is bundled whole by esbuild with every dependency inlined, minified, then gzipped
// (level 9): the SDK's built ESM entry, and stripe's default export as a Worker or browser imports it.
// stripe is a devDependency of the root for this script only. Budget: the SDK under 10 KB min+gz.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sdk = join(root, "packages/sdk");
const BUDGET = 10 * 1024;

execFileSync(join(sdk, "node_modules/.bin/tsup"), ["--silent"], { cwd: sdk, stdio: "inherit" });

async function measure(title, contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    // stripe's package has a build for Workers (fetch and Web Crypto, no Node built-ins).
    conditions: ["worker", "browser"],
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  return { title, min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const version = (pkg) => JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version;
const rows = [
  await measure(`@tranche/sdk ${version(sdk)}`, `export * from ${JSON.stringify(join(sdk, "dist/index.js"))};`),
  await measure(`stripe ${version(join(root, "node_modules/stripe"))}`, `export { default } from "stripe";`),
];
const [ours, stripe] = rows;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

console.log("\nbench:size: esbuild --bundle --minify (all dependencies inlined), then gzip -9\n");
console.log("| client | minified | min+gz |");
console.log("|---|---:|---:|");
for (const r of rows) console.log(`| ${r.title} | ${kb(r.min)} | ${kb(r.gzip)} (${r.gzip} B) |`);
const ratio = ours.gzip / stripe.gzip;
console.log(
  `\n@tranche/sdk min+gz is ${(ratio * 100).toFixed(1)}% of stripe's (1/${(1 / ratio).toFixed(0)}); ` +
    `budget ${kb(BUDGET)}: ${ours.gzip <= BUDGET ? "within" : "OVER"}`,
);

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(
  join(root, "bench/results/size.json"),
  JSON.stringify({ at: new Date().toISOString(), rows, ratio, budget: BUDGET }, null, 2),
);
if (ours.gzip > BUDGET) process.exitCode = 1;
