import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The built CLI (dist/) against one `wrangler dev` on a state folder of its own (test/e2e/global-setup.ts).
// The tests' own API calls use the SDK from source.
export default defineConfig({
  resolve: { alias: { "@tranche/sdk": fileURLToPath(new URL("../sdk/src/index.ts", import.meta.url)) } },
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
