import { defineConfig } from "vitest/config";

// The built CLI (dist/) against one `wrangler dev` on a state folder of its own (test/e2e/global-setup.ts).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
