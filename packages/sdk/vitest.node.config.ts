// The request policy against injected fetches, and the built package from a clean folder: plain Node.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/node/**/*.test.ts"] },
});
