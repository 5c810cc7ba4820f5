import { defineConfig } from "vitest/config";

// The unit tests: argument parsing, the config file, key masking; no Worker.
export default defineConfig({ test: { include: ["test/unit/**/*.test.ts"] } });
