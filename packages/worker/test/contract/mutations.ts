// Ways to break a valid value: each site of it (see sitesOf) can lose a required field, gain an
// unknown one, change type, or leave its range. Whether the result is really invalid is Ajv's
// call (requests.ts), not this file's: a mutation the schema still accepts is sent as a valid request.
import type { Schema } from "./document";
import type { Site } from "./schema-arbitrary";

const OTHER_TYPES: unknown[] = [0, 1.5, "text", true, null, [], {}, "12", "true"];

/** The values `site` could be broken into, each as the whole value with that site replaced. */
export function mutantsAt(value: unknown, site: Site): unknown[] {
  const s = site.schema;
  const here = getAt(value, site.path);
  const replacements: unknown[] = [...OTHER_TYPES];
  if (typeof s.maximum === "number") replacements.push(s.maximum + 1, s.maximum + 0.5, 2 ** 53);
  if (typeof s.minimum === "number") replacements.push(s.minimum - 1, -(2 ** 53));
  if (typeof s.maxLength === "number") replacements.push("y".repeat(s.maxLength + 1));
  if (typeof s.minLength === "number" && s.minLength > 0) replacements.push("");
  if (typeof s.pattern === "string" && typeof here === "string") replacements.push(`${here}!`, here.slice(1), "../x");
  if (Array.isArray(s.enum)) replacements.push("not_one_of_them", String(s.enum[0]).toUpperCase());
  if (s.format === "date-time") replacements.push("2026-02-30T25:61:00Z", "yesterday", "1700000000");
  if (s.format === "email") replacements.push("not an email", "@example.com");
  if (s.format === "uri") replacements.push("not a url", "//no-scheme");
  if (Array.isArray(here)) {
    if (typeof s.maxItems === "number") replacements.push(Array.from({ length: s.maxItems + 1 }, () => here[0]));
    if (typeof s.minItems === "number" && s.minItems > 0) replacements.push([]);
  }
  const mutants = replacements.map((r) => setAt(value, site.path, r));
  if (here && typeof here === "object" && !Array.isArray(here)) {
    for (const key of (s.required ?? []) as string[]) mutants.push(setAt(value, site.path, omit(here, key)));
    if (s.additionalProperties === false) mutants.push(setAt(value, site.path, { ...here, unexpected_field: 1 }));
    if (typeof s.maxProperties === "number") {
      const many = Object.fromEntries(Array.from({ length: s.maxProperties + 1 }, (_, i) => [`key${i}`, ""]));
      mutants.push(setAt(value, site.path, many));
    }
  }
  return mutants;
}

function getAt(value: unknown, path: Site["path"]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], value);
}

function setAt(value: unknown, path: Site["path"], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [key, ...rest] = path as [string | number, ...Site["path"]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[key] = setAt(copy[key], rest, replacement);
  return copy;
}

function omit(object: object, key: string): Schema {
  const { [key]: _, ...rest } = object as Schema;
  return rest;
}
