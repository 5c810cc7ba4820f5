// The SDK against the real Worker: the tests run inside workerd beside it and pass SELF.fetch as the
// client's fetch, so every call goes through the Worker's routes, middleware, objects and D1.
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(fileURLToPath(new URL("../worker/migrations", import.meta.url).href));

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../../wrangler.toml" },
      miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token" } },
    }),
  ],
  test: {
    include: ["test/api/**/*.test.ts"],
    setupFiles: ["./test/api/apply-migrations.ts"],
    silent: "passed-only",
  },
});
