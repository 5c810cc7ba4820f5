import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { envFor, tranche } from "./cli";

/** A state folder with a file in it, as `pnpm dev` leaves one. */
function stateDir(): string {
  const dir = join(mkdtempSync(join(inject("home"), "state-")), "state");
  mkdirSync(dir);
  writeFileSync(join(dir, "db.sqlite"), "");
  return dir;
}

// A port nothing listens on: the Worker is stopped.
const STOPPED = "http://127.0.0.1:9";

describe("tranche reset", () => {
  it("refuses a remote URL, and exits 2", async () => {
    const state = stateDir();
    const run = await tranche(["reset", "--yes", "--persist-to", state], envFor("https://tranche.example.com"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not local/);
    expect(existsSync(state)).toBe(true);
  });

  it("refuses while the Worker still answers", async () => {
    const state = stateDir();
    const run = await tranche(["reset", "--yes", "--persist-to", state], envFor(inject("base")));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stop `pnpm dev` first/);
    expect(existsSync(state)).toBe(true);
  });

  it("never asks without a terminal, and wipes the state with --yes", async () => {
    const state = stateDir();
    const asked = await tranche(["reset", "--persist-to", state], envFor(STOPPED));
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/--yes/);
    expect(existsSync(state)).toBe(true);
    const run = await tranche(["reset", "--yes", "--persist-to", state], envFor(STOPPED));
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(state)).toBe(false);
  });
});
