// Writes src/types.generated.ts: the API's types, expanded by the TypeScript compiler from the zod
// schemas in @tranche/shared into plain declarations, so the published .d.ts needs neither zod nor
// the private shared package. Property docs and enum order come from the Worker's OpenAPI document,
// which is generated from the same schemas.
// `tsx scripts/generate-types.ts` writes the file; `--check` fails if it is not what would be written.
// Which types, and from which schemas: sdk-types.ts.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_CODES } from "@tranche/shared";
import ts from "typescript";
import { createApp } from "../../worker/src/app";
import { TYPES } from "./sdk-types";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(root, "src/types.generated.ts");

interface JsonSchema {
  description?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
}
interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: JsonSchema;
}

// Only the schemas and parameters are read, so the document's info can be anything.
const openapi = createApp().getOpenAPI31Document({
  openapi: "3.1.0",
  info: { title: "Tranche", version: "0" },
}) as unknown as {
  components: { schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
};

/** A type's description and its properties' descriptions, from the OpenAPI document. */
function docsOf(locator: string | undefined): { description?: string; properties: Record<string, string> } {
  if (!locator) return { properties: {} };
  const [method, path] = locator.split(" ");
  if (method && path) {
    const params = openapi.paths[path]?.[method.toLowerCase()]?.parameters ?? [];
    return {
      properties: Object.fromEntries(
        params.filter((p) => p.in === "query" && p.description).map((p) => [p.name, p.description as string]),
      ),
    };
  }
  const schema = openapi.components.schemas[locator];
  if (!schema) throw new Error(`generate-types: no OpenAPI schema ${locator}`);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    if (value.description) properties[key] = value.description;
  }
  return { description: schema.description, properties };
}

/** Every enum of the document, to print unions of literals in the order the API declares them. */
const enums: string[][] = [[...ERROR_CODES]];
(function collect(node: unknown) {
  if (Array.isArray(node)) return node.forEach(collect);
  if (node && typeof node === "object") {
    const e = (node as JsonSchema).enum;
    if (e && e.length > 1 && e.every((v) => typeof v === "string")) enums.push(e as string[]);
    Object.values(node).forEach(collect);
  }
})(openapi);

// The type expressions are compiled as one virtual module next to this script, so @tranche/shared
// resolves from the SDK's devDependencies.
const entry = join(root, "scripts/__api-types.ts");
const source = `import type * as S from "@tranche/shared";\n${TYPES.map((t) => `export type ${t.name} = ${t.type};`).join("\n")}\n`;
const options: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  noEmit: true,
};
const host = ts.createCompilerHost(options);
const { getSourceFile, fileExists, readFile } = host;
host.getSourceFile = (file, ...rest) =>
  file === entry ? ts.createSourceFile(file, source, ts.ScriptTarget.ES2022) : getSourceFile(file, ...rest);
host.fileExists = (file) => file === entry || fileExists(file);
host.readFile = (file) => (file === entry ? source : readFile(file));
const program = ts.createProgram([entry], options, host);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length) {
  throw new Error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
}
const checker = program.getTypeChecker();
const entryFile = program.getSourceFile(entry);
const moduleSymbol = entryFile && checker.getSymbolAtLocation(entryFile);
if (!moduleSymbol) throw new Error("generate-types: the virtual module did not compile");
const exported = new Map(
  checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, checker.getDeclaredTypeOfSymbol(s)]),
);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Prints a type as a plain declaration. With `names`, a nested type that prints the same as one of
 * the exported types is written as that type's name (Purchase.installments: Installment[]).
 */
function print(type: ts.Type, names: Map<string, string>, indent: string): string {
  return (isCompound(type) && names.get(printInline(type, new Map(), ""))) || printInline(type, names, indent);
}

/** Objects and unions of several values are worth a name; `string | null` is not. */
function isCompound(type: ts.Type): boolean {
  const values = type.isUnion()
    ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)))
    : [];
  return isObject(type) || (values.length > 1 && !isBoolean(type));
}

const isObject = (type: ts.Type) => !!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection));

const isBoolean = (type: ts.Type) =>
  type.isUnion() && type.types.length === 2 && type.types.every((t) => t.flags & ts.TypeFlags.BooleanLiteral);

function printInline(type: ts.Type, names: Map<string, string>, indent: string): string {
  if (type.isUnion()) {
    // `undefined` only comes from optional properties, which `?` already says.
    let members = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    const trueType = members.find((t) => checker.typeToString(t) === "true");
    const falseType = members.find((t) => checker.typeToString(t) === "false");
    const parts: string[] = [];
    if (trueType && falseType) {
      members = members.filter((t) => t !== trueType && t !== falseType);
      parts.push("boolean");
    }
    const literals = members.filter((t) => t.isStringLiteral()).map((t) => (t as ts.StringLiteralType).value);
    const order = enums.find((e) => e.length === literals.length && literals.every((l) => e.includes(l)));
    if (order) members = [...members].sort((a, b) => order.indexOf(literal(a)) - order.indexOf(literal(b)));
    parts.unshift(...members.map((t) => print(t, names, indent)));
    // null last, as the schemas write it (`string | null`).
    return parts.sort((a, b) => Number(a === "null") - Number(b === "null")).join(" | ");
  }
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    if (!element) throw new Error("generate-types: an array without an element type");
    const text = print(element, names, indent);
    return element.isUnion() && !isBoolean(element) ? `(${text})[]` : `${text}[]`;
  }
  if (isObject(type)) {
    const inner = `${indent}  `;
    const lines: string[] = [];
    const properties = checker.getPropertiesOfType(type);
    const indexes = checker.getIndexInfosOfType(type);
    const [record] = indexes;
    if (record && indexes.length === 1 && !properties.length) {
      return `Record<${checker.typeToString(record.keyType)}, ${print(record.type, names, indent)}>`;
    }
    for (const info of indexes) {
      lines.push(`${inner}[key: ${checker.typeToString(info.keyType)}]: ${print(info.type, names, inner)};`);
    }
    for (const property of properties) {
      const optional = !!(property.flags & ts.SymbolFlags.Optional);
      const key = IDENTIFIER.test(property.name) ? property.name : JSON.stringify(property.name);
      lines.push(`${inner}${key}${optional ? "?" : ""}: ${print(checker.getTypeOfSymbol(property), names, inner)};`);
    }
    return lines.length ? `{\n${lines.join("\n")}\n${indent}}` : "{}";
  }
  return checker.typeToString(type);
}

const literal = (t: ts.Type) => (t.isStringLiteral() ? t.value : "");

function jsdoc(text: string | undefined, indent: string): string {
  if (!text) return "";
  return `${indent}/** ${text.replaceAll("*/", "*\\/")} */\n`;
}

function generate(): string {
  // Each exported type's expansion, so that later ones refer to it by name.
  const names = new Map<string, string>();
  const declarations: string[] = [];
  for (const { name, docs } of TYPES) {
    const type = exported.get(name);
    if (!type) throw new Error(`generate-types: ${name} did not compile`);
    const { description, properties } = docsOf(docs);
    let body = printInline(type, names, "");
    // Property docs go above the top-level properties (two-space indent) they belong to.
    body = body.replace(/^ {2}("?)([\w[\]]+)\1(\??): /gm, (line, _q, key: string) =>
      properties[key] ? `${jsdoc(properties[key], "  ")}${line}` : line,
    );
    declarations.push(`${jsdoc(description, "")}export type ${name} = ${body};`);
    const expanded = printInline(type, new Map(), "");
    if (isCompound(type) && !names.has(expanded)) names.set(expanded, name);
  }
  const header =
    "// Generated by scripts/generate-types.ts from the zod schemas in @tranche/shared. Do not edit:\n" +
    "// run `pnpm --filter @tranche/sdk generate`.\n\n";
  return format(`${header}${declarations.join("\n\n")}\n`);
}

/** Biome formats the output, so the committed file is exactly what `generate()` returns. */
function format(code: string): string {
  return execFileSync(join(root, "../../node_modules/.bin/biome"), ["format", `--stdin-file-path=${OUT}`], {
    input: code,
    encoding: "utf8",
  });
}

const code = generate();
if (process.argv.includes("--check")) {
  if (readFileSync(OUT, "utf8") !== code) {
    console.error("generate-types: src/types.generated.ts is stale; run `pnpm --filter @tranche/sdk generate`.");
    process.exit(1);
  }
  console.log("generate-types: src/types.generated.ts is up to date");
} else {
  writeFileSync(OUT, code);
  console.log(`generate-types: wrote ${OUT}`);
}
