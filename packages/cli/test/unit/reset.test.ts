import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultStateDir, isLocal } from "../../src/commands/reset";

const root = mkdtempSync(join(tmpdir(), "tranche-cli-reset-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("reset", () => {
  it("takes only this machine's URLs for local", () => {
    for (const url of [
      "http://localhost:8787",
      "http://127.0.0.1:1",
      "http://[::1]:8787",
      "http://tranche.localhost",
    ]) {
      expect(isLocal(url), url).toBe(true);
    }
    for (const url of ["https://tranche.example.com", "http://10.0.0.1:8787", "http://localhost.example.com"]) {
      expect(isLocal(url), url).toBe(false);
    }
  });

  it("finds .wrangler/state beside the nearest wrangler.toml above", () => {
    writeFileSync(join(root, "wrangler.toml"), "");
    mkdirSync(join(root, "a", "b"), { recursive: true });
    expect(defaultStateDir(join(root, "a", "b"))).toBe(join(root, ".wrangler", "state"));
  });
});
