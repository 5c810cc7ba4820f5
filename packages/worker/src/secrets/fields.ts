import type { Keyring } from "./keyring";
import { isSealed } from "./keyring";

/**
 * The one list of what carries a secret shown once. Every answer stored to be replayed (the
 * IdempotencyObject's, src/middleware/idempotency.ts) has these fields sealed at any depth, whatever
 * the route: a new route that answers with `secret_key` or `secret` is covered by naming it so.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["secret_key", "secret"]);

/**
 * The routes that answer with a secret: they need SECRETS_KEY, and without it answer 503 before
 * they run (src/secrets/require.ts). test/secrets/secret-routes.test.ts checks that every operation
 * in /openapi.json whose answer has a SECRET_FIELDS property is here.
 */
export const SECRET_ROUTES: readonly RegExp[] = [
  /^\/v1\/merchants$/,
  /^\/v1\/merchants\/[^/]+\/keys$/,
  /^\/v1\/keys$/,
  /^\/v1\/keys\/[^/]+\/roll$/,
  /^\/v1\/webhook_endpoints$/,
  /^\/v1\/webhook_endpoints\/[^/]+\/rotate_secret$/,
];

export const issuesSecrets = (method: string, path: string): boolean =>
  method === "POST" && SECRET_ROUTES.some((route) => route.test(path));

/** The values of the secret fields of a JSON text, sealed or not. */
export function secretsIn(json: string): string[] {
  const values: string[] = [];
  walk(safeParse(json), (value) => values.push(value));
  return values;
}

/** `json` with each secret field's value sealed (bound to `context`); other text is unchanged. */
export async function sealFields(json: string, keyring: Keyring, context: string): Promise<string> {
  return transform(json, (value) => (isSealed(value) ? value : keyring.seal(value, context)));
}

/** `json` with each sealed secret field opened. */
export async function openFields(json: string, keyring: Keyring, context: string): Promise<string> {
  return transform(json, (value) => (isSealed(value) ? keyring.open(value, context) : value));
}

async function transform(json: string, f: (value: string) => string | Promise<string>): Promise<string> {
  const parsed = safeParse(json);
  const pending: Promise<void>[] = [];
  walk(parsed, (value, set) => pending.push(Promise.resolve(f(value)).then(set)));
  if (pending.length === 0) return json;
  await Promise.all(pending);
  return JSON.stringify(parsed);
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** Calls `visit` on each string value of a SECRET_FIELDS field, with a setter for it. */
function walk(node: unknown, visit: (value: string, set: (v: string) => void) => unknown): void {
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    const record = node as Record<string, unknown>;
    if (SECRET_FIELDS.has(key) && typeof value === "string") visit(value, (v) => (record[key] = v));
    else walk(value, visit);
  }
}
