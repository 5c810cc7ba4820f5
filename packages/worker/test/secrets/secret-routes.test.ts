// The one list of routes that answer with a secret (src/secrets/fields.ts) against the document:
// every operation whose success answer has a secret field is on it, so it fails closed without
// SECRETS_KEY and documents 503 secrets_unavailable; and none is on it that has no such answer.
import { describe, expect, it } from "vitest";
import { issuesSecrets, SECRET_FIELDS } from "../../src/secrets/fields";
import { call } from "../helpers";

type Schema = { $ref?: string; properties?: Record<string, Schema>; allOf?: Schema[]; items?: Schema };
type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Whether a schema (its references followed) has a SECRET_FIELDS property at any depth. */
function showsSecret(doc: Document, schema: Schema | undefined, seen = new Set<string>()): boolean {
  if (!schema) return false;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return false;
    seen.add(schema.$ref);
    return showsSecret(doc, doc.components.schemas[schema.$ref.split("/").pop() as string], seen);
  }
  const props = Object.entries(schema.properties ?? {});
  return (
    props.some(([name, p]) => SECRET_FIELDS.has(name) || showsSecret(doc, p, seen)) ||
    (schema.allOf ?? []).some((s) => showsSecret(doc, s, seen)) ||
    showsSecret(doc, schema.items, seen)
  );
}

describe("the routes that issue secrets", () => {
  it("are exactly the operations whose success answer shows a secret", async () => {
    const doc = (await call<Document>("/openapi.json")).body;
    const showing: string[] = [];
    const listed: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const success = Object.entries(op.responses).filter(([status]) => status.startsWith("2"));
        const name = `${method.toUpperCase()} ${path}`;
        if (success.some(([, r]) => showsSecret(doc, r.content?.["application/json"]?.schema))) showing.push(name);
        if (issuesSecrets(method.toUpperCase(), path)) {
          listed.push(name);
          expect(JSON.stringify(op.responses["503"] ?? {}), name).toContain("secrets_unavailable");
        }
      }
    }
    expect(showing.length).toBeGreaterThanOrEqual(4);
    expect(listed.sort()).toEqual(showing.sort());
  });
});
