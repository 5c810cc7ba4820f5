// A client generated from /openapi.json the way merchants do it: openapi-typescript turns the document
// (written by the repo's `pnpm openapi`, from the Worker's own app) into `paths`, and the example program
// (test/openapi-client/program.ts) must type-check against them with openapi-fetch. The same program runs
// against the Worker in test/api/openapi-client.test.ts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_TYPES_FILE, clientTypes } from "../../scripts/openapi-client-types";

const sdk = join(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "tranche-openapi-client-"));
const schemaFile = join(sdk, CLIENT_TYPES_FILE);
const programFile = join(sdk, "test/openapi-client/program.ts");
const misuseFile = join(sdk, "test/openapi-client/misuse.ts");

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The document as /openapi.json serves it, written by scripts/openapi.ts (what `pnpm test:openapi` lints). */
function servedDocument(): object {
  const out = join(work, "openapi.json");
  execFileSync(join(sdk, "node_modules/.bin/tsx"), [join(sdk, "../../scripts/openapi.ts"), out], { stdio: "pipe" });
  return JSON.parse(readFileSync(out, "utf8"));
}

/** Type-checks `root` with the freshly generated types in place of the committed ones; files given are virtual. */
function typeErrors(root: string, files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: [],
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, ...rest) => {
    const text = files[file];
    return text === undefined ? getSourceFile(file, ...rest) : ts.createSourceFile(file, text, ts.ScriptTarget.ES2022);
  };
  host.fileExists = (file) => file in files || fileExists(file);
  host.readFile = (file) => files[file] ?? readFile(file);
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([root], options, host));
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("a client generated from /openapi.json", () => {
  let generated: string;
  beforeAll(async () => {
    generated = await clientTypes(servedDocument());
  });

  it("type-checks the program that creates a customer, a card, a purchase and lists purchases", () => {
    expect(generated).toContain("export interface paths");
    expect(typeErrors(programFile, { [schemaFile]: generated })).toEqual([]);
  });

  it("refuses a program that misuses it, so the check is not vacuous", () => {
    const misuse = `import createClient from "openapi-fetch";
import type { paths } from "./schema.generated";
const client = createClient<paths>({ baseUrl: "http://tranche.test" });
const plan = { type: "pay_in_n" } as const;
await client.POST("/v1/purchases", { body: { customer: "c", payment_method: "p", amount: "1", currency: "EUR", plan } });
await client.POST("/v1/purchases", { body: { customer: "c", amount: 1, currency: "EUR", plan } });
await client.GET("/v1/purchase", {});
export {};
`;
    const errors = typeErrors(misuseFile, { [schemaFile]: generated, [misuseFile]: misuse });
    expect(errors).toEqual([
      expect.stringMatching(/'string' is not assignable to type 'number'/),
      expect.stringMatching(/'payment_method' is missing/),
      expect.stringMatching(/"\/v1\/purchase"/),
    ]);
  });
});
