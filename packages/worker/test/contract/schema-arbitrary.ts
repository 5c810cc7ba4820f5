// JSON Schema (the OpenAPI document's request schemas) to fast-check: values the schema accepts, and
// the places in a value where a mutation can make it one the schema refuses.
import fc from "fast-check";
import { pointTo, type Schema } from "./document";

type Json = unknown;

/** Deep enough for plans, line items and metadata; deeper optional parts are left out. */
const MAX_DEPTH = 4;
/** Free strings are odd on purpose: every plane of Unicode, NUL and friends, up to this long (unless the schema says). */
const FREE_STRING_MAX = 60;

export class SchemaArbitraries {
  constructor(
    private readonly doc: Schema,
    /** Real ids (the fixtures'), offered wherever a string pattern accepts them. */
    private readonly ids: string[],
    /** Whether the schema accepts the value (Ajv): picks a union's alternative for a value. */
    readonly accepts: (schema: Schema, value: unknown) => boolean,
  ) {}

  /** The schema with its $ref (within the document) followed. */
  resolve(schema: Schema): Schema {
    let s = schema;
    while (typeof s.$ref === "string") s = pointTo(this.doc, s.$ref);
    return s;
  }

  /**
   * Values the schema accepts; its documented example among them, often (the fuzz needs requests that
   * succeed, too), unless real ids fit it: an example id names nothing.
   */
  valid(input: Schema, depth = 0): fc.Arbitrary<Json> {
    const s = this.resolve(input);
    const generated = this.generated(s, depth);
    if (!("example" in s) || this.knownIds(s).length) return generated;
    return fc.oneof({ arbitrary: fc.constant(s.example), weight: 2 }, generated);
  }

  private knownIds(s: Schema): string[] {
    if (typeof s.pattern !== "string") return [];
    const re = new RegExp(s.pattern);
    return this.ids.filter((id) => re.test(id));
  }

  private generated(s: Schema, depth: number): fc.Arbitrary<Json> {
    if ("const" in s) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Json[]));
    const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (alternatives) return fc.oneof(...alternatives.map((a) => this.valid(a, depth)));
    if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => this.valid({ ...s, type }, depth)));
    switch (s.type) {
      case "string":
        return this.string(s);
      case "integer":
      case "number":
        return number(s);
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array": {
        const minLength = (s.minItems as number | undefined) ?? 0;
        const maxLength = Math.min((s.maxItems as number | undefined) ?? 3, minLength + 3);
        return fc.array(this.valid(s.items as Schema, depth + 1), { minLength, maxLength });
      }
      case "object":
        return this.object(s, depth);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private object(s: Schema, depth: number): fc.Arbitrary<Json> {
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const required = (s.required ?? []) as string[];
    const keys = Object.keys(properties).filter((k) => required.includes(k) || depth < MAX_DEPTH);
    // Optional fields are left out two times in three: each may make a request fail, and some should succeed.
    const optional = (arb: fc.Arbitrary<Json>) =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight: 1 });
    const fields = keys.map((k) => {
      const arb = this.valid(properties[k] as Schema, depth + 1);
      return [k, required.includes(k) ? arb : optional(arb)] as const;
    });
    const record = fc
      .record(Object.fromEntries(fields))
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    const extra = s.additionalProperties;
    if (!extra || typeof extra !== "object" || depth >= MAX_DEPTH) return record;
    const maxKeys = Math.min(3, (s.maxProperties as number | undefined) ?? 3);
    const entries = fc.dictionary(fc.string({ minLength: 1 }), this.valid(extra as Schema, depth + 1), { maxKeys });
    return fc.tuple(entries, record).map(([more, known]) => ({ ...more, ...(known as object) }));
  }

  private string(s: Schema): fc.Arbitrary<string> {
    const minLength = (s.minLength as number | undefined) ?? 0;
    const maxLength = (s.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY;
    if (typeof s.pattern === "string") {
      const known = this.knownIds(s);
      const shaped = fc
        .stringMatching(new RegExp(s.pattern))
        .filter((v) => v.length >= minLength && v.length <= maxLength);
      return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, shaped) : shaped;
    }
    switch (s.format) {
      case "date-time":
        return fc
          .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
          .map((d) => d.toISOString());
      case "email":
        return fc.emailAddress().filter((e) => e.length <= maxLength);
      case "uri":
        return fc.webUrl().filter((u) => u.length <= maxLength);
    }
    const longest = Math.max(minLength, Math.min(maxLength, FREE_STRING_MAX));
    const odd = fc.string({ unit: "binary", minLength, maxLength: longest });
    const plain = fc.string({ minLength, maxLength: longest });
    // The boundary: as long as the schema allows (when it says), in one-unit characters.
    const full = Number.isFinite(maxLength) ? [fc.constant("x".repeat(maxLength))] : [];
    // Code points, not UTF-16 units: JSON Schema's lengths count the former.
    return fc.oneof(plain, odd, ...full).filter((v) => [...v].length >= minLength && [...v].length <= maxLength);
  }
}

function number(s: Schema): fc.Arbitrary<number> {
  const integer = s.type === "integer";
  let min = (s.minimum as number | undefined) ?? (integer ? -(2 ** 31) : -1e9);
  let max = (s.maximum as number | undefined) ?? (integer ? 2 ** 31 : 1e9);
  if (typeof s.exclusiveMinimum === "number") min = s.exclusiveMinimum + (integer ? 1 : Number.EPSILON);
  if (typeof s.exclusiveMaximum === "number") max = s.exclusiveMaximum - (integer ? 1 : Number.EPSILON);
  const inside = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(inside, fc.constantFrom(min, max));
}

/** A place in a generated value, with the schema that governs it. */
export interface Site {
  path: (string | number)[];
  schema: Schema;
}

/** Every place in `value` that `schema` describes (objects' properties, arrays' items). */
export function sitesOf(arbs: SchemaArbitraries, schema: Schema, value: Json, path: Site["path"] = []): Site[] {
  let s = arbs.resolve(schema);
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  // A value of a union: its sites are those of the alternative it is.
  if (alternatives) s = arbs.resolve(alternatives.find((a) => arbs.accepts(a, value)) ?? s);
  const sites: Site[] = [{ path, schema: s }];
  if (Array.isArray(value) && s.items) {
    value.forEach((item, i) => {
      sites.push(...sitesOf(arbs, s.items as Schema, item, [...path, i]));
    });
  } else if (value && typeof value === "object") {
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const [k, v] of Object.entries(value)) {
      const sub = properties[k] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
      if (sub) sites.push(...sitesOf(arbs, sub as Schema, v, [...path, k]));
    }
  }
  return sites;
}
