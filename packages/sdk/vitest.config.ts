// The SDK against the real Worker: the tests run inside workerd beside it and pass SELF.fetch as the
// client's fetch, so every call goes through the Worker's routes, middleware, objects and D1.
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { queueConsumers } from "../worker/test/queue-config.ts";
import { lowRateLimits } from "../worker/test/rate-limit-config.ts";
import { TEST_SECRETS_KEY } from "../worker/test/secrets-key.ts";

const migrations = await readD1Migrations(fileURLToPath(new URL("../worker/migrations", import.meta.url).href));
const bindings = { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token", SECRETS_KEY: TEST_SECRETS_KEY };
const wrangler = { configPath: "../../wrangler.toml" };
const RATE_LIMIT_TESTS = "test/api/**/rate-limit.test.ts";
const setupFiles = ["./test/api/apply-migrations.ts"];

export default defineConfig({
  test: {
    silent: "passed-only",
    // As in packages/worker: the files of a pool worker share its runtime (one workerd start and one
    // migration run each), so every test works with a merchant of its own.
    maxWorkers: 2,
    projects: [
      {
        plugins: [cloudflareTest({ wrangler, miniflare: { bindings, queueConsumers } })],
        test: {
          setupFiles,
          name: "sdk-api",
          include: ["test/api/**/*.test.ts"],
          exclude: [RATE_LIMIT_TESTS],
          isolate: false,
        },
      },
      {
        // The client's 429 handling against the Worker's rate limiter, on limits reached in a few calls.
        plugins: [cloudflareTest({ wrangler, miniflare: { ...lowRateLimits(bindings), queueConsumers } })],
        test: { setupFiles, name: "sdk-rate-limit", include: [RATE_LIMIT_TESTS] },
      },
    ],
  },
});
