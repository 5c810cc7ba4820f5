// `pnpm dev`'s argument handling (scripts/dev-plan.mjs): the migrations reach the database that
// `wrangler dev` serves, whatever flags choose it, and the output of the migrations is one line.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  d1Bindings,
  databaseFlags,
  devPlan,
  devSecretsKey,
  migrateBinding,
  migrationSummary,
  offersSeed,
} from "../../../../scripts/dev-plan.mjs";

const plan = (argv: string[], devVars?: string) => devPlan(argv, { devVars, newToken: () => "made_up" });
const MIGRATE = ["d1", "migrations", "apply", "DB", "--local"];

describe("pnpm dev's plan", () => {
  it("with no flags: port 8787, a made-up admin token, local http webhooks, the default database", () => {
    expect(plan([])).toEqual({
      port: 8787,
      adminToken: "made_up",
      migrate: MIGRATE,
      dev: ["dev", "--port", "8787", "--var", "ADMIN_TOKEN:made_up", "--var", "WEBHOOK_ALLOW_HTTP:true"],
      demoFile: ".wrangler/demo-merchant.json",
    });
  });

  it("passes --persist-to to the migrations too, and keeps the demo key beside that database", () => {
    const p = plan(["--", "--persist-to", "/tmp/x", "--port", "9000"]);
    expect(p.migrate).toEqual([...MIGRATE, "--persist-to", "/tmp/x"]);
    expect(p.dev.slice(0, 5)).toEqual(["dev", "--persist-to", "/tmp/x", "--port", "9000"]);
    expect(p.port).toBe(9000);
    expect(p.demoFile).toBe("/tmp/x/demo-merchant.json");
    expect(plan(["--persist-to=state/"]).demoFile).toBe("state/demo-merchant.json");
  });

  it("passes every database-choosing flag, in both spellings, and nothing else, to the migrations", () => {
    const argv = ["--port", "1", "--persist-to=/p", "-c", "alt.toml", "--env", "staging", "--ip", "0.0.0.0"];
    expect(databaseFlags(argv)).toEqual(["--persist-to=/p", "-c", "alt.toml", "--env", "staging"]);
    expect(databaseFlags(["-e=production", "--config=a.toml", "--env-file", ".env.x", "--cwd", "sub"])).toEqual([
      "-e=production",
      "--config=a.toml",
      "--env-file",
      ".env.x",
      "--cwd",
      "sub",
    ]);
    expect(plan(["--env", "staging"]).migrate).toEqual([...MIGRATE, "--env", "staging"]);
  });

  it("takes the admin token from a --var flag or .dev.vars instead of making one up", () => {
    const flagged = plan(["--var", "ADMIN_TOKEN:s3cret"]);
    expect(flagged.adminToken).toBe("s3cret");
    expect(flagged.dev.filter((a) => a.startsWith("ADMIN_TOKEN"))).toEqual(["ADMIN_TOKEN:s3cret"]);
    expect(plan(["--var=ADMIN_TOKEN:t"]).adminToken).toBe("t");
    const fromFile = plan([], 'OTHER=1\nADMIN_TOKEN = "from_file"\n');
    expect(fromFile.adminToken).toBe("from_file");
    expect(fromFile.dev).not.toContain("ADMIN_TOKEN:from_file");
  });

  it("leaves a WEBHOOK_ALLOW_HTTP the caller set alone", () => {
    expect(plan(["--var", "WEBHOOK_ALLOW_HTTP:false"]).dev.filter((a) => a.includes("WEBHOOK_ALLOW_HTTP"))).toEqual([
      "WEBHOOK_ALLOW_HTTP:false",
    ]);
  });
});

describe("the migrations' one line", () => {
  it("counts what was applied, or says the database is up to date, and names its folder", () => {
    const applied = "Migrations to be applied:\n│ 0000_init.sql │\n? About to apply 9 migration(s)\n…";
    expect(migrationSummary(applied, [...MIGRATE, "--persist-to", "/tmp/x"])).toBe(
      "dev: D1 migrations 9 applied (local database in /tmp/x)",
    );
    expect(migrationSummary("✅ No migrations to apply!", MIGRATE)).toBe(
      "dev: D1 migrations up to date (local database in .wrangler/state)",
    );
  });
});

describe("the databases migrated", () => {
  it("are the directory and every read-model shard wrangler.toml binds, each with the same flags", () => {
    const config = readFileSync(new URL("../../../../wrangler.toml", import.meta.url), "utf8");
    expect(d1Bindings(config)).toEqual(["DB", "READ_MODEL_0", "READ_MODEL_1"]);
    const migrate = plan(["--persist-to", "/tmp/x"]).migrate;
    expect(migrateBinding(migrate, "READ_MODEL_1")).toEqual([
      "d1",
      "migrations",
      "apply",
      "READ_MODEL_1",
      "--local",
      "--persist-to",
      "/tmp/x",
    ]);
  });
});

describe("pnpm dev's SECRETS_KEY", () => {
  const newKey = () => "dev:new";
  it("is made up once and kept beside the database, then reused, so what it sealed still opens", () => {
    expect(devSecretsKey([], { newKey })).toEqual({ flags: ["--var", "SECRETS_KEY:dev:new"], save: "dev:new" });
    expect(devSecretsKey([], { saved: "dev:kept\n", newKey })).toEqual({ flags: ["--var", "SECRETS_KEY:dev:kept"] });
  });

  it("is the caller's when a --var flag or .dev.vars sets it", () => {
    expect(devSecretsKey(["--var", "SECRETS_KEY:k:abc"], { saved: "dev:kept", newKey })).toEqual({ flags: [] });
    expect(devSecretsKey([], { devVars: "SECRETS_KEY=k:abc\n", newKey })).toEqual({ flags: [] });
  });
});

describe("pnpm dev's offer to seed the demo book", () => {
  it("is made only for an empty book in a terminal: never without stdin (CI) or with output redirected", () => {
    expect(offersSeed({ bookEmpty: true, stdinIsTTY: true, stdoutIsTTY: true })).toBe(true);
    expect(offersSeed({ bookEmpty: false, stdinIsTTY: true, stdoutIsTTY: true })).toBe(false);
    // process.stdin.isTTY is undefined, not false, when stdin is a pipe or /dev/null.
    expect(offersSeed({ bookEmpty: true, stdinIsTTY: undefined, stdoutIsTTY: true })).toBe(false);
    expect(offersSeed({ bookEmpty: true, stdinIsTTY: true, stdoutIsTTY: undefined })).toBe(false);
    expect(offersSeed({ bookEmpty: true })).toBe(false);
  });
});
