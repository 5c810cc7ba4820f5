import { defineConfig } from "vitest/config";

const soak = Boolean(process.env.TEST_SOAK);

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    // test/runs.ts: the property tests' sizes; their long runs outlast the default 5 s timeout.
    provide: { soak },
    ...(soak && { testTimeout: 30 * 60_000 }),
  },
});
