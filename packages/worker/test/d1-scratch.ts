import { env } from "cloudflare:test";

/**
 * A migration test's D1: a fresh SQLite of the engine local D1 runs on (a Durable Object's: D1's own
 * binding is already migrated to the end for every test file), to be migrated step by step.
 */
export function migrations(sql: SqlStorage) {
  const apply = (name: string) => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name === name);
    if (!migration) throw new Error(`no migration ${name}`);
    for (const query of migration.queries) sql.exec(query);
  };
  return {
    apply,
    /** Every migration before `name`, in order. */
    before: (name: string) => {
      for (const m of env.TEST_MIGRATIONS.filter((m) => m.name < name)) apply(m.name);
    },
  };
}
