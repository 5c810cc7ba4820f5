import { applyD1Migrations, env } from "cloudflare:test";
import { readModels } from "./helpers";

// Runs before every test file, but the files of a pool worker share its runtime (isolate: false):
// the first file migrates the directory and every read-model shard, the others find every
// migration applied (two queries each).
for (const db of [env.DB, ...readModels()]) await applyD1Migrations(db, env.TEST_MIGRATIONS);
