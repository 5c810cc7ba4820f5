// The request policy against injected fetches, and the built package from a clean folder: plain Node.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The examples the suite runs import the SDK by name: the source, so no build is needed first.
  resolve: { alias: { "@tranche/sdk": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: {
    include: ["test/node/**/*.test.ts"],
    // Some tests run tsc or build the package: seconds alone, more beside the other steps of
    // `pnpm test` on a busy machine than vitest's 5 s (tests) and 10 s (hooks) defaults.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
