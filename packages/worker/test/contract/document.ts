// The OpenAPI document as the fuzz reads it: its operations, and Ajv (JSON Schema 2020-12, the dialect
// of OpenAPI 3.1) over its schemas. Ajv compiles validators with `new Function`, which the vitest pool
// for Workers allows in test code (the Worker under test runs without it), so it runs right here.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

/** A JSON Schema (or any node of the document) as the fuzz reads it. */
export type Schema = { [k: string]: unknown };

/** The document's id for Ajv: its `$ref`s are made absolute against it, so any part compiles on its own. */
const DOC_ID = "https://tranche.test/openapi.json";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Schema;
}

export interface MediaTypes {
  [mediaType: string]: { schema?: Schema };
}

export interface Operation {
  id: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, if the operation takes one. */
  body?: Schema;
  auth: "api_key" | "admin" | "none";
  responses: Record<string, { content?: MediaTypes }>;
}

type Document = Schema & { paths: Record<string, Record<string, Schema>> };

export class Contract {
  readonly doc: Document;
  readonly operations: Operation[];
  private readonly ajv = withFormats(new Ajv2020({ strict: false, allErrors: true }));
  /** For parameters, which arrive as text: "5" is an integer 5 here, as the Worker's zod coerces it. */
  private readonly coercing = withFormats(new Ajv2020({ strict: false, coerceTypes: true }));
  private readonly compiled = new WeakMap<object, ReturnType<Ajv2020["compile"]>>();

  constructor(served: Schema) {
    this.doc = absoluteRefs(closed(served)) as Document;
    this.ajv.addSchema(this.doc, DOC_ID);
    this.coercing.addSchema(this.doc, DOC_ID);
    this.operations = Object.entries(this.doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => operation(path, method, op)),
    );
  }

  /** Ajv's errors for `value` against `schema`, or null when it conforms. */
  errors(schema: Schema, value: unknown): string | null {
    const validate = this.validator(this.ajv, schema);
    if (validate(value)) return null;
    return (validate.errors ?? [])
      .map((e) => `${e.instancePath || "body"} ${e.message} ${JSON.stringify(e.params)}`)
      .join("; ");
  }

  accepts = (schema: Schema, value: unknown) => this.errors(schema, value) === null;

  /** Whether parameters given as text conform to their schemas (and the required ones are there). */
  paramsConform(parameters: Parameter[], values: Record<string, string | undefined>): boolean {
    const schema = {
      type: "object",
      properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
      required: parameters.filter((p) => p.required).map((p) => p.name),
    };
    const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    // A fresh object each time: coercion rewrites the value in place, and the schema is new anyway.
    return this.coercing.validate(schema, defined);
  }

  private validator(ajv: Ajv2020, schema: Schema) {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

function operation(path: string, method: string, op: Schema): Operation {
  const security = op.security as Record<string, string[]>[] | undefined;
  const schemes = security?.flatMap((s) => Object.keys(s));
  const body = (op.requestBody as { content?: MediaTypes } | undefined)?.content?.["application/json"]?.schema;
  return {
    id: op.operationId as string,
    method: method.toUpperCase(),
    path,
    parameters: (op.parameters ?? []) as Parameter[],
    body,
    auth: schemes?.includes("AdminToken") ? "admin" : schemes?.length === 0 ? "none" : "api_key",
    responses: op.responses as Operation["responses"],
  };
}

function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#") ? `${DOC_ID}${v}` : absoluteRefs(v),
    ]),
  );
}

/**
 * The document with its objects closed: zod's objects say nothing of other fields (no
 * `additionalProperties`), but a field the document does not name is drift all the same, so the fuzz
 * refuses it (`unevaluatedProperties`, which sees through `allOf`). The parts of an `allOf` stay open,
 * a referenced part inlined so (a closed Merchant would refuse MerchantWithKey's `secret_key`); their
 * union is closed where they meet.
 */
function closed(doc: Schema, node: unknown = doc, part = false): unknown {
  if (Array.isArray(node)) return node.map((n) => closed(doc, n, part));
  if (!node || typeof node !== "object") return node;
  let schema = node as Schema;
  if (part && typeof schema.$ref === "string") schema = pointTo(doc, schema.$ref);
  const copy = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === "allOf" ? closed(doc, v, true) : closed(doc, v)]),
  );
  const object = schema.type === "object" || "allOf" in schema;
  if (object && !part && !("additionalProperties" in schema) && !("unevaluatedProperties" in schema)) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}

/** The node a `$ref` into the document points at. */
export function pointTo(doc: Schema, ref: string): Schema {
  return ref
    .replace(/^[^#]*#\//, "")
    .split("/")
    .reduce<Schema>((node, key) => node[key.replaceAll("~1", "/").replaceAll("~0", "~")] as Schema, doc);
}

function withFormats(ajv: Ajv2020): Ajv2020 {
  addFormats(ajv);
  return ajv;
}
