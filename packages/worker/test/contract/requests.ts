// Requests for one operation, derived from its parameters and body schema alone: valid ones, and
// mutations of them (body fields missing, unknown, of the wrong type or out of range; bad parameters,
// headers and credentials; malformed JSON; wrong content types; odd query strings). A draft names
// fixtures by slot, so one request can be sent to either world (world.ts).
import fc from "fast-check";
import type { Contract, Operation, Parameter } from "./document";
import { mutantsAt } from "./mutations";
import { type SchemaArbitraries, sitesOf } from "./schema-arbitrary";
import { RESOURCE_OF, type Resource, type World } from "./world";

/** A fixture of the world the request goes to (or of the other one: another merchant's, a 404). */
type Slot = { resource: Resource; pick: number; foreign: boolean };

export interface Draft {
  /** What was done to the valid request ("valid" if nothing). */
  mutation: string;
  params: Record<string, string | Slot | undefined>;
  /** Appended to the query string as it is. */
  rawQuery: string;
  auth: "key" | "none" | "malformed" | "unknown";
  contentType?: string;
  body?: { json: unknown } | { raw: string };
}

/** valid: conforms, so any documented answer will do; invalid: must be refused (4xx) and write nothing; odd: a strange but not invalid request. */
export type Kind = "valid" | "invalid" | "odd";

const MALFORMED_IDS = [
  "0",
  "-1",
  "1.5",
  "null",
  "x".repeat(300),
  "cus_0000",
  "%F0%9F%99%82",
  "..%2F..%2Fhealth",
  "a%00b",
];
const MALFORMED_JSON = ["", "{", '{"a":', "{'a': 1}", "[1,", "nul", '{"a":1}}', "\u0000"];
const WRONG_CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"];
const ODD_QUERIES = ["&%zz=1", "&limit=1&limit=2", "&=", "&unknown_param=1", "&&&", "&starting_after=", "&%E0%A4%A=1"];
const BAD_IDEMPOTENCY_KEYS = ["has space", "é", "x".repeat(256), "tab\there"];

export function drafts(op: Operation, arbs: SchemaArbitraries): fc.Arbitrary<Draft> {
  const valid = validDraft(op, arbs);
  const mutate = (name: string, f: (d: Draft) => fc.Arbitrary<Draft>) =>
    valid.chain((d) => f(d).map((m) => ({ ...m, mutation: name })));
  const options: fc.WeightedArbitrary<Draft>[] = [{ arbitrary: valid, weight: 4 }];
  const add = (weight: number, arbitrary: fc.Arbitrary<Draft>) => options.push({ arbitrary, weight });

  if (op.body) {
    const body = op.body;
    add(
      4,
      mutate("body field", (d) => {
        const json = (d.body as { json: unknown }).json;
        const mutants = sitesOf(arbs, body, json).flatMap((site) => mutantsAt(json, site));
        return fc.constantFrom(...mutants).map((m) => ({ ...d, body: { json: m } }));
      }),
    );
    add(
      1,
      mutate("malformed JSON", (d) => fc.constantFrom(...MALFORMED_JSON).map((raw) => ({ ...d, body: { raw } }))),
    );
    add(
      1,
      mutate("content type", (d) =>
        fc.constantFrom(...WRONG_CONTENT_TYPES).map((contentType) => ({ ...d, contentType })),
      ),
    );
  }
  const params = op.parameters.filter((p) => p.in !== "header");
  if (params.length) {
    add(
      3,
      mutate("parameter", (d) =>
        fc
          .constantFrom(...params)
          .chain((p) => parameterMutants(p, d).map((v) => ({ ...d, params: { ...d.params, [p.name]: v } }))),
      ),
    );
  }
  if (op.parameters.some((p) => p.name === "idempotency-key")) {
    add(
      1,
      mutate("idempotency key", (d) =>
        fc.constantFrom(...BAD_IDEMPOTENCY_KEYS).map((k) => ({ ...d, params: { ...d.params, "idempotency-key": k } })),
      ),
    );
  }
  if (op.auth !== "none") {
    add(
      1,
      mutate("credentials", (d) =>
        fc.constantFrom("none", "malformed", "unknown" as const).map((auth) => ({ ...d, auth })),
      ),
    );
  }
  add(
    1,
    mutate("query string", (d) => fc.constantFrom(...ODD_QUERIES).map((rawQuery) => ({ ...d, rawQuery }))),
  );
  // Drafts are judged (kindOf) after they are made: a mutation the schema still accepts counts as valid.
  return fc.oneof(...options);
}

function validDraft(op: Operation, arbs: SchemaArbitraries): fc.Arbitrary<Draft> {
  const params = Object.fromEntries(
    op.parameters.map((p) => {
      const value =
        p.in === "path"
          ? pathValue(op, p, arbs)
          : p.in === "header"
            ? headerValue(p)
            : arbs.valid(p.schema).map(String);
      return [p.name, p.required ? value : fc.option(value, { nil: undefined })];
    }),
  );
  return fc
    .record({
      params: fc.record(params) as fc.Arbitrary<Draft["params"]>,
      body: op.body ? arbs.valid(op.body).map((json) => ({ json })) : fc.constant(undefined),
    })
    .map(({ params, body }) => ({ mutation: "valid", params, rawQuery: "", auth: "key" as const, body }));
}

/** A fixture's id for the collection the parameter follows, mostly this world's, sometimes the other's. */
function pathValue(op: Operation, p: Parameter, arbs: SchemaArbitraries): fc.Arbitrary<string | Slot> {
  const segments = op.path.split("/");
  const resource = RESOURCE_OF[segments[segments.indexOf(`{${p.name}}`) - 1] ?? ""];
  if (!resource) return arbs.valid(p.schema).map(String);
  const slot = fc.record({ resource: fc.constant(resource), pick: fc.nat(), foreign: fc.boolean() });
  return fc.oneof({ arbitrary: slot, weight: 4 }, { arbitrary: fc.constantFrom(...MALFORMED_IDS), weight: 1 });
}

/**
 * The one header parameter is Idempotency-Key: a key used again for another request is answered 422 by
 * design, so valid requests take fresh ones (a UUID, as its description suggests).
 */
function headerValue(p: Parameter): fc.Arbitrary<string> {
  if (p.name !== "idempotency-key") throw new Error(`the fuzz does not know the header parameter ${p.name}`);
  return fc.uuid();
}

function parameterMutants(p: Parameter, d: Draft): fc.Arbitrary<string | undefined> {
  const current = d.params[p.name];
  const mutants = mutantsAt(typeof current === "string" ? current : "1", { path: [], schema: p.schema }).map((v) =>
    typeof v === "object" && v !== null ? JSON.stringify(v) : String(v),
  );
  return fc.constantFrom(...(p.required ? [undefined, ...mutants] : mutants));
}

/** Whether the draft is a request the document accepts, refuses, or neither says. */
export function kindOf(op: Operation, contract: Contract, draft: Draft): Kind {
  if (draft.auth !== "key" && op.auth !== "none") return "invalid";
  if (draft.body && op.body) {
    if ("raw" in draft.body || draft.contentType) return "invalid";
    if (!contract.accepts(op.body, draft.body.json)) return "invalid";
  }
  // Slots are fixtures' ids, which conform by construction; check the literal values.
  const literal = Object.fromEntries(
    Object.entries(draft.params).map(([k, v]) => [k, typeof v === "object" ? placeholder(op, k) : v]),
  );
  if (!contract.paramsConform(op.parameters, literal)) return "invalid";
  // A parameter the operation does not name is refused, as an unknown body field is. A pair with no
  // name at all (`&=`) names no parameter: the Worker's router never sees one.
  const named = new Set(op.parameters.filter((p) => p.in === "query").map((p) => p.name));
  const extra = [...new URLSearchParams(draft.rawQuery).keys()];
  if (extra.some((name) => name !== "" && !named.has(name))) return "invalid";
  return draft.rawQuery ? "odd" : "valid";
}

function placeholder(op: Operation, name: string): string | undefined {
  return name === "n" || op.parameters.find((p) => p.name === name)?.schema.type === "integer" ? "1" : "x";
}

/** The draft as a request to `world` (its key, its fixtures; `other`'s where a slot is foreign). */
export function toRequest(op: Operation, draft: Draft, world: World, other: World, adminToken: string): Request {
  const resolve = (v: string | Slot | undefined) => {
    if (v === undefined || typeof v === "string") return v;
    const ids = (v.foreign ? other : world).ids[v.resource];
    return ids[v.pick % ids.length];
  };
  let path = op.path;
  const query = new URLSearchParams();
  const headers = new Headers();
  for (const p of op.parameters) {
    const value = resolve(draft.params[p.name]);
    if (p.in === "path") path = path.replace(`{${p.name}}`, value === undefined ? "" : encodeURIComponent(value));
    else if (value === undefined) continue;
    else if (p.in === "query") query.set(p.name, value);
    else headers.set(p.name, value);
  }
  const token = op.auth === "admin" ? adminToken : world.key;
  const credentials = {
    key: `Bearer ${token}`,
    none: undefined,
    malformed: "Bearer not-a-key",
    unknown: `Bearer sk_test_${"Z".repeat(32)}`,
  }[draft.auth];
  if (credentials && op.auth !== "none") headers.set("Authorization", credentials);
  let body: string | undefined;
  if (draft.body) {
    body = "raw" in draft.body ? draft.body.raw : JSON.stringify(draft.body.json);
    headers.set("Content-Type", draft.contentType ?? "application/json");
  }
  const search = `${query}${draft.rawQuery}`;
  return new Request(`http://tranche.test${path}${search ? `?${search}` : ""}`, { method: op.method, headers, body });
}
