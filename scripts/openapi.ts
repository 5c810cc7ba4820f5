// Writes the OpenAPI document the Worker serves at /openapi.json, generated from the same zod schemas,
// so it can be linted (pnpm test:openapi) or fed to client generators without starting the Worker.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createApp, OPENAPI_INFO } from "../packages/worker/src/app";

const out = process.argv[2] ?? "dist/openapi.json";
const doc = createApp().getOpenAPI31Document(OPENAPI_INFO);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`openapi: wrote ${out} (${Object.keys(doc.paths ?? {}).length} paths)`);
