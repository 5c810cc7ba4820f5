import { applyD1Migrations, env } from "cloudflare:test";
import { shards } from "../../../worker/src/shards";

// Runs before every test file, but the files of a pool worker share its runtime (isolate: false):
// the first file migrates the directory and every read-model shard, the others find every
// migration applied (two queries each).
for (const db of [env.DB, ...shards(env)]) await applyD1Migrations(db, env.TEST_MIGRATIONS);
