import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** What `tranche login` keeps, per base URL; `listen_secret` signs forwarded events, stable across runs. */
export interface Profile {
  api_key?: string;
  listen_secret?: string;
}

export interface Config {
  /** The base URL used when none is given. */
  default_base_url?: string;
  profiles: Record<string, Profile>;
}

/**
 * The config file: `$TRANCHE_CONFIG_DIR/config.json`, else the platform's config directory
 * (`%APPDATA%\tranche` on Windows, `$XDG_CONFIG_HOME/tranche` or `~/.config/tranche` elsewhere).
 */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.TRANCHE_CONFIG_DIR ??
    (process.platform === "win32" && env.APPDATA
      ? join(env.APPDATA, "tranche")
      : join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "tranche"));
  return join(dir, "config.json");
}

export function readConfig(path: string): Config {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Config>;
    return { ...parsed, profiles: parsed.profiles ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Writes the file readable by its owner only (0600), in a directory only its owner can enter (0700). */
export function writeConfig(path: string, config: Config): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only to a new file: an older file keeps its mode otherwise.
  chmodSync(path, 0o600);
}

/** Updates one profile, keeping the rest of the file. */
export function updateProfile(path: string, baseUrl: string, change: Profile, makeDefault = false): Config {
  const config = readConfig(path);
  config.profiles[baseUrl] = { ...config.profiles[baseUrl], ...change };
  if (makeDefault) config.default_base_url = baseUrl;
  writeConfig(path, config);
  return config;
}
