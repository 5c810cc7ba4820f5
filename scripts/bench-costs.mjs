// What one pay-in-4 purchase costs on the platform, as packages/worker/test/purchase-cost.test.ts
// counts it (bindings wrapped by test/cost-meter.ts): the bench runs that one test file and prints
// the figures it published on its metadata (cost-meter's `publish`), which vitest's JSON reporter
// carries whether or not the test's expected figures still hold.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./bench-wrangler.mjs";

const worker = join(root, "packages/worker");
const TEST = "test/purchase-cost.test.ts";

/**
 * Runs the purchase-cost test (only the tests whose names match `filter`, if given) with vitest's
 * JSON reporter; returns its tests' results, each with the metadata it published.
 */
export async function purchaseCostTests(filter) {
  const dir = mkdtempSync(join(tmpdir(), "bench-costs-"));
  const out = join(dir, "report.json");
  try {
    const child = spawn(
      join(worker, "node_modules/.bin/vitest"),
      ["run", "--project", "worker", TEST, ...(filter ? ["-t", filter] : []), "--reporter=json", `--outputFile=${out}`],
      { cwd: worker, stdio: "ignore" },
    );
    await new Promise((done) => child.on("exit", done));
    return JSON.parse(readFileSync(out, "utf8")).testResults.flatMap((file) => file.assertionResults);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the purchase-cost test; returns its phases' costs and whether its expectations held, or an error. */
export async function measureCosts() {
  console.log(`bench: counting a purchase's costs (${TEST})…`);
  try {
    const tests = await purchaseCostTests();
    const measured = tests.filter((t) => t.meta?.costs);
    if (!measured.length) return { error: `${TEST} published no costs` };
    return {
      expectations: measured.every((t) => t.status === "passed") ? "hold" : "do not hold",
      phases: Object.assign({}, ...measured.map((t) => t.meta.costs)),
    };
  } catch (error) {
    return { error: `${TEST} did not report: ${error.message}` };
  }
}

const sum = (values) => values.reduce((a, b) => a + b, 0);
const FIGURES = [
  ["Durable Object requests", (c) => sum(Object.values(c.durableObjectCalls))],
  ["D1 statements", (c) => c.d1Statements],
  ["D1 rows written", (c) => c.d1RowsWritten],
  ["queue messages", (c) => c.queueMessages],
  ["analytics points", (c) => c.analyticsPoints],
  ["object SQLite statements", (c) => c.sqliteStatements],
  ["object SQLite transactions", (c) => c.sqliteTransactions],
];

/** The figures per phase, and added up over the phases (a purchase's life). */
export function costTable({ phases }) {
  const names = Object.keys(phases);
  return FIGURES.map(([figure, of]) => {
    const values = names.map((name) => of(phases[name]));
    return { figure, ...Object.fromEntries(names.map((name, i) => [name, values[i]])), "over its life": sum(values) };
  });
}

export function printCosts(costs) {
  if (costs.error) return console.log(`\nper-purchase costs: not available (${costs.error})`);
  const names = Object.keys(costs.phases);
  console.log(`\nper pay-in-4 purchase, counted by ${TEST} (its expected figures ${costs.expectations}):\n`);
  console.log(`| figure | ${names.join(" | ")} | over its life |`);
  console.log(`|---|${names.map(() => "---:|").join("")}---:|`);
  for (const row of costTable(costs)) console.log(`| ${Object.values(row).join(" | ")} |`);
  const calls = names.map((name) => {
    const byMethod = Object.entries(costs.phases[name].durableObjectCalls).map(([m, n]) => `${m} ${n}`);
    return `${name}: ${byMethod.join(", ") || "none"}`;
  });
  console.log(`Durable Object requests by method: ${calls.join("; ")}`);
}
