// Writes test/openapi-client/schema.generated.d.ts, the openapi-typescript client types of the
// document the Worker serves at /openapi.json; `--check` fails if it is not what would be written.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, OPENAPI_INFO } from "../../worker/src/app";
import { CLIENT_TYPES_FILE, clientTypes } from "./openapi-client-types";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", CLIENT_TYPES_FILE);
const code = await clientTypes(createApp().getOpenAPI31Document(OPENAPI_INFO));
if (process.argv.includes("--check")) {
  if (readFileSync(out, "utf8") !== code) {
    console.error(
      `generate-openapi-client: ${CLIENT_TYPES_FILE} is stale; run \`pnpm --filter @tranche/sdk generate\`.`,
    );
    process.exit(1);
  }
  console.log(`generate-openapi-client: ${CLIENT_TYPES_FILE} is up to date`);
} else {
  writeFileSync(out, code);
  console.log(`generate-openapi-client: wrote ${out}`);
}
