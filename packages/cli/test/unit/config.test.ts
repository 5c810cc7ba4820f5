import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { maskKey, NotLoggedIn, resolveCredentials } from "../../src/config/credentials";
import { configPath, readConfig, updateProfile } from "../../src/config/store";

const KEY = `sk_test_${"a".repeat(28)}wxyz`;
const root = mkdtempSync(join(tmpdir(), "tranche-cli-unit-"));
const dir = () => mkdtempSync(join(root, "config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the config file", () => {
  it("lives in TRANCHE_CONFIG_DIR, else XDG_CONFIG_HOME/tranche, else ~/.config/tranche", () => {
    expect(configPath({ TRANCHE_CONFIG_DIR: "/x" })).toBe("/x/config.json");
    expect(configPath({ XDG_CONFIG_HOME: "/xdg" })).toBe("/xdg/tranche/config.json");
    expect(configPath({})).toMatch(/\.config\/tranche\/config\.json$/);
  });

  it("is written with mode 0600, even over an older file that was not", () => {
    const path = join(dir(), "config.json");
    writeFileSync(path, "{}", { mode: 0o644 });
    updateProfile(path, "http://localhost:8787", { api_key: KEY }, true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readConfig(path)).toEqual({
      default_base_url: "http://localhost:8787",
      profiles: { "http://localhost:8787": { api_key: KEY } },
    });
  });

  it("keeps one profile per base URL, and a profile's other fields", () => {
    const path = join(dir(), "config.json");
    updateProfile(path, "http://a", { api_key: KEY });
    updateProfile(path, "http://a", { listen_secret: "whsec_x" });
    updateProfile(path, "http://b", { api_key: "other" });
    expect(readConfig(path).profiles).toEqual({
      "http://a": { api_key: KEY, listen_secret: "whsec_x" },
      "http://b": { api_key: "other" },
    });
  });

  it("is empty when missing, and an error when unreadable", () => {
    expect(readConfig(join(dir(), "none.json"))).toEqual({ profiles: {} });
    const path = join(dir(), "config.json");
    writeFileSync(path, "not json");
    expect(() => readConfig(path)).toThrow(/cannot read/);
  });
});

describe("the key", () => {
  const stored = () => {
    const d = dir();
    updateProfile(join(d, "config.json"), "http://stored", { api_key: "sk_test_stored" }, true);
    return d;
  };

  it("comes from --api-key over TRANCHE_API_KEY over the login's", () => {
    const TRANCHE_CONFIG_DIR = stored();
    expect(resolveCredentials({}, { TRANCHE_CONFIG_DIR }).apiKey).toBe("sk_test_stored");
    expect(resolveCredentials({}, { TRANCHE_CONFIG_DIR, TRANCHE_API_KEY: "env" }).apiKey).toBe("env");
    expect(resolveCredentials({ apiKey: "flag" }, { TRANCHE_CONFIG_DIR, TRANCHE_API_KEY: "env" }).apiKey).toBe("flag");
  });

  it("is the one stored for the base URL in use, which defaults to the login's, then local pnpm dev", () => {
    const TRANCHE_CONFIG_DIR = stored();
    expect(resolveCredentials({}, { TRANCHE_CONFIG_DIR }).baseUrl).toBe("http://stored");
    expect(() => resolveCredentials({ baseUrl: "http://elsewhere/" }, { TRANCHE_CONFIG_DIR })).toThrow(NotLoggedIn);
    expect(resolveCredentials({ apiKey: "k" }, { TRANCHE_CONFIG_DIR: dir() }).baseUrl).toBe("http://localhost:8787");
  });

  it("is shown as its mode and last four characters only", () => {
    expect(maskKey(KEY)).toBe("sk_test_…wxyz");
    expect(maskKey("sk_live_abcdefgh")).toBe("sk_live_…efgh");
    expect(maskKey("whatever1234")).toBe("…1234");
  });
});
