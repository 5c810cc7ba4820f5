import { type Config, configPath, readConfig } from "./store";

export const DEFAULT_BASE_URL = "http://localhost:8787";

/** The options every command takes (the program's global options). */
export interface GlobalOptions {
  apiKey?: string;
  baseUrl?: string;
  json?: boolean;
}

/** Raised when no key is found; the program exits with EXIT.auth. */
export class NotLoggedIn extends Error {}

/** The base URL: --base-url, else TRANCHE_BASE_URL, else the config's default, else local `pnpm dev`. */
export function resolveBaseUrl(opts: GlobalOptions, config: Config, env = process.env): string {
  const url = opts.baseUrl ?? env.TRANCHE_BASE_URL ?? config.default_base_url ?? DEFAULT_BASE_URL;
  return url.replace(/\/+$/, "");
}

/** The key: --api-key, else TRANCHE_API_KEY, else the one `tranche login` stored for the base URL. */
export function resolveCredentials(opts: GlobalOptions, env = process.env) {
  const path = configPath(env);
  const config = readConfig(path);
  const baseUrl = resolveBaseUrl(opts, config, env);
  const apiKey = opts.apiKey ?? env.TRANCHE_API_KEY ?? config.profiles[baseUrl]?.api_key;
  if (!apiKey) {
    throw new NotLoggedIn(`no API key for ${baseUrl}: run \`tranche login\`, or pass --api-key or TRANCHE_API_KEY`);
  }
  return { apiKey, baseUrl, configPath: path, config };
}

/** A key as it may be shown: its mode prefix and last four characters (`sk_test_…a1b2`). */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? "";
  return `${prefix}…${key.slice(-4)}`;
}
