// The package as npm would ship it: built, packed, installed into a clean folder outside the
// workspace, then imported (ESM), required (CJS) and type-checked the way a consumer would.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const sdk = join(import.meta.dirname, "../..");
const bin = (name: string) => join(sdk, "node_modules/.bin", name);
const work = mkdtempSync(join(tmpdir(), "tranche-sdk-pack-"));
const consumer = join(work, "consumer");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
  run(bin("tsup"), ["--silent"], sdk);
  // The build just ran; --ignore-scripts keeps prepack from running it again.
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], sdk);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  // The SDK has no dependencies, so nothing is fetched.
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", join(work, tarball)], consumer);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Node 22 runs the tests; the machine's own Node (20 on these machines) is the oldest the SDK supports. */
const nodes = [...new Set([process.execPath, "/usr/bin/node"].filter(existsSync))];

// A webhook delivery signed now by the reference implementation, for the packed verifier (WebCrypto).
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY = JSON.stringify({ type: "purchase.created", timestamp: new Date().toISOString(), data: {} });
const HEADERS = {
  "webhook-id": "msg_1",
  "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
  "webhook-signature": new Webhook(SECRET).sign("msg_1", new Date(), BODY),
};

// A POST to a closed port: global fetch, AbortController, timers and crypto.randomUUID all run.
const CHECK = `
  const tranche = new Tranche("sk_test_x", { baseUrl: "http://localhost:1", maxRetries: 0 });
  const error = await tranche.customers.create({}).catch((e) => e);
  const delivery = [${JSON.stringify(BODY)}, ${JSON.stringify(HEADERS)}, ${JSON.stringify(SECRET)}];
  const event = await tranche.webhooks.verify(...delivery);
  const forged = await tranche.webhooks.verify(delivery[0] + " ", ...delivery.slice(1)).catch((e) => e);
  console.log(JSON.stringify({
    resources: Object.keys(tranche),
    connection: error instanceof ConnectionError && error instanceof TrancheError,
    classes: [ValidationError, NotFoundError].map((C) => new C("m", { status: 400 }) instanceof TrancheError),
    webhook: [event.type, forged instanceof WebhookVerificationError],
  }));
`;
const EXPECTED = {
  resources: [
    "merchants",
    "keys",
    "customers",
    "purchases",
    "refunds",
    "reports",
    "testHelpers",
    "admin",
    "analytics",
    "events",
    "webhooks",
    "webhookEndpoints",
  ],
  connection: true,
  classes: [true, true],
  webhook: ["purchase.created", true],
};

describe("the packed package in a clean Node project", () => {
  it("ships only dist, the README and package.json", () => {
    const files = readdirSync(join(consumer, "node_modules/@tranche/sdk"), { recursive: true }).map(String).sort();
    expect(files).toEqual([
      "README.md",
      "dist",
      "dist/index.cjs",
      "dist/index.d.cts",
      "dist/index.d.ts",
      "dist/index.js",
      "package.json",
    ]);
  });

  it("imports as ESM, in each Node on the machine", () => {
    writeFileSync(
      join(consumer, "esm.mjs"),
      `import { Tranche, TrancheError, ConnectionError, ValidationError, NotFoundError, WebhookVerificationError } from "@tranche/sdk";\n${CHECK}`,
    );
    for (const node of nodes) expect(JSON.parse(run(node, ["esm.mjs"], consumer)), node).toEqual(EXPECTED);
  });

  it("requires as CommonJS, in each Node on the machine", () => {
    writeFileSync(
      join(consumer, "cjs.cjs"),
      `const { Tranche, TrancheError, ConnectionError, ValidationError, NotFoundError, WebhookVerificationError } = require("@tranche/sdk");\n` +
        `(async () => {${CHECK}})();`,
    );
    for (const node of nodes) expect(JSON.parse(run(node, ["cjs.cjs"], consumer)), node).toEqual(EXPECTED);
  });

  it("type-checks for import and require, with no zod or @tranche/shared behind the types", () => {
    const use = `
      const tranche = new Tranche("sk_test_x");
      export async function f(customer: string, pm: string): Promise<Purchase> {
        for await (const p of tranche.purchases.list({ customer })) if (p.status === "active") return p;
        return tranche.purchases.create({ customer, payment_method: pm, amount: 100, currency: "EUR", plan: { type: "pay_in_n" } });
      }
      // @ts-expect-error amounts are numbers
      tranche.purchases.create({ customer: "c", payment_method: "p", amount: "100", currency: "EUR", plan: { type: "pay_in_full" } });
      export async function receive(request: Request, secret: string): Promise<string> {
        const event = await tranche.webhooks.verify<{ id: string }>(await request.text(), request.headers, secret);
        // @ts-expect-error the raw body, never a parsed object
        tranche.webhooks.verify({}, request.headers, secret);
        return event.type + event.data.id;
      }
    `;
    writeFileSync(join(consumer, "esm.mts"), `import { Tranche, type Purchase } from "@tranche/sdk";\n${use}`);
    writeFileSync(
      join(consumer, "cjs.cts"),
      `import sdk = require("@tranche/sdk");\nconst { Tranche } = sdk;\ntype Purchase = sdk.Purchase;\n${use}`,
    );
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          lib: ["es2023", "dom"],
          types: [],
        },
        files: ["esm.mts", "cjs.cts"],
      }),
    );
    // tsc takes about 3 s alone, hence the timeout past vitest's 5 s default for a busy machine.
    run(bin("tsc"), ["-p", "."], consumer);
  }, 30_000);

  it("has no Node built-ins, zod or workspace packages in what it ships", () => {
    const dist = join(consumer, "node_modules/@tranche/sdk/dist");
    for (const file of readdirSync(dist)) {
      const text = readFileSync(join(dist, file), "utf8");
      expect(text, file).not.toMatch(/["']node:|\bzod\b|@tranche\/shared|\brequire\(/);
    }
    const pkg = JSON.parse(readFileSync(join(consumer, "node_modules/@tranche/sdk/package.json"), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});

describe("spelling", () => {
  it("says installment, one way, in the SDK's types, both READMEs and the docs (issue 9)", () => {
    const docs = readdirSync(join(sdk, "../../docs")).map((page) => `../../docs/${page}`);
    for (const file of ["src/types.generated.ts", "src/index.ts", "README.md", "../../README.md", ...docs]) {
      const text = readFileSync(join(sdk, file), "utf8");
      expect(text, file).not.toMatch(/instalment/i);
    }
    expect(readFileSync(join(sdk, "src/types.generated.ts"), "utf8")).toMatch(/installments/);
  });
});
