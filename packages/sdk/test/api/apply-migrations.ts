import { applyD1Migrations, env } from "cloudflare:test";

// Runs before every test file, but the files of a pool worker share its runtime (isolate: false):
// the first file migrates D1, the others find every migration applied (two queries).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
