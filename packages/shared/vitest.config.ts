import { defineConfig } from "vitest/config";

const soak = Boolean(process.env.TEST_SOAK);

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    // test/runs.ts: the property tests' sizes. A property of thousands of cases takes seconds, more
    // on a busy machine than the default 5 s timeout allows; its long runs take minutes.
    provide: { soak },
    testTimeout: soak ? 30 * 60_000 : 30_000,
  },
});
