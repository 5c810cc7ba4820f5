#!/usr/bin/env node
// `pnpm test:docs`: the docs name only what exists. Every file or folder that ARCHITECTURE.md,
// the README or a docs/ page names in backticks (a path with a slash) and every relative link
// they make must be found, so a move or a rename that leaves the map behind fails the tests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where a short path in the docs may start: the repo, the Worker package, its source. */
const BASES = ["", "packages/worker", "packages/worker/src", "packages"];
/** Made by a run (state, builds, bench results) or a placeholder, so absent from a clean clone. */
const MADE_AT_RUN_TIME = /^(\.wrangler|dist|bench|DIR)\//;
const docs = ["ARCHITECTURE.md", "README.md", ...readdirSync(join(root, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);

/** A backticked token that names a file or folder of this repo, not code or a URL. */
function namedPaths(text) {
  const out = [];
  for (const [, token] of text.matchAll(/`([^`\s]+)`/g)) {
    if (!token.includes("/") || /^[a-z]+:|^\/|[{}*<>$=()…,]|^\.\.?\/|^@|^(GET|POST|DELETE)$/i.test(token)) continue;
    if (!/\.(ts|mjs|js|json|toml|md|sql|sh|yaml)$|\/$/.test(token)) continue;
    if (!MADE_AT_RUN_TIME.test(token)) out.push(token.replace(/:\d+$/, ""));
  }
  return out;
}

/** Relative markdown links, without their #anchor. */
function linkedPaths(text) {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, href]) => href.split("#")[0])
    .filter((href) => href && !/^[a-z]+:/i.test(href));
}

const missing = [];
for (const doc of docs) {
  const path = join(root, doc);
  if (!existsSync(path)) {
    missing.push(`${doc}: the file itself`);
    continue;
  }
  const text = readFileSync(path, "utf8");
  for (const p of namedPaths(text)) {
    if (!BASES.some((base) => existsSync(join(root, base, p)))) missing.push(`${doc}: \`${p}\``);
  }
  for (const p of linkedPaths(text)) {
    if (!existsSync(join(dirname(path), p))) missing.push(`${doc}: link ${p}`);
  }
}
if (missing.length) {
  console.error(`docs-check: ${missing.length} path(s) named in the docs do not exist:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
console.log(`docs-check: every path named in ${docs.length} docs exists (${relative(process.cwd(), root) || "."})`);
