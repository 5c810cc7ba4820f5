import { defineConfig } from "vitest/config";

// The built CLI (dist/) against `wrangler dev` on a state folder of its own (test/e2e/worker.ts).
export default defineConfig({
  test: { include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false },
});
