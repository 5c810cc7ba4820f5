#!/usr/bin/env node
// `pnpm test:size`: no hand-written source, test or script file over 300 lines in packages/,
// scripts/ and examples/, so a file stays small enough to read whole. Generated files are exempt.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const LIMIT = 300;
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs|sh)$/;
const GENERATED = /(\.generated\.|worker-configuration\.d\.ts$)/;

const files = execFileSync("git", ["ls-files", "packages", "scripts", "examples"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => CODE.test(f) && !GENERATED.test(f));
const long = files
  .map((f) => ({ f, lines: readFileSync(f, "utf8").split("\n").length - 1 }))
  .filter(({ lines }) => lines > LIMIT);
if (long.length) {
  console.error(`size-check: over ${LIMIT} lines:\n  ${long.map(({ f, lines }) => `${f} (${lines})`).join("\n  ")}`);
  process.exit(1);
}
console.log(`size-check: ${files.length} hand-written files, none over ${LIMIT} lines`);
