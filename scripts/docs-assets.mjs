// Copies the API reference UI (swagger-ui-dist, no dependencies of its own) into the Worker's static
// assets, so /docs works offline and the ~1.5 MB bundle stays out of the Worker script itself.
// Runs on `pnpm install` (the worker package's postinstall).
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "packages/worker/package.json"));
const pkg = dirname(require.resolve("swagger-ui-dist/package.json"));
const target = join(root, "packages/worker/public/docs/vendor");
mkdirSync(target, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) copyFileSync(join(pkg, file), join(target, file));
console.log("docs-assets: copied swagger-ui into packages/worker/public/docs/vendor");
