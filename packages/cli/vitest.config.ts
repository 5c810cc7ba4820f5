import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The unit tests: argument parsing, the config file, key masking; no Worker. The SDK from source, as tsup bundles it.
export default defineConfig({
  resolve: { alias: { "@tranche/sdk": fileURLToPath(new URL("../sdk/src/index.ts", import.meta.url)) } },
  test: { include: ["test/unit/**/*.test.ts"] },
});
