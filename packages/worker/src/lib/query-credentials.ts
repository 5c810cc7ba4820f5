/**
 * Credentials never travel in a query string here: the API reads keys only from the Authorization
 * header. One sent as `?api_key=` anyway is dropped from the URL at the Worker's entry (index.ts),
 * before the app, its logs, its analytics or anything downstream sees the URL, and the request is
 * refused naming the parameter (src/middleware/query-credentials.ts). Sentry, which wraps the entry
 * and so sees the URL as sent, and every log line pass the same list through the redaction guard
 * (src/lib/log.ts). What records a request before the Worker runs (Workers Logs' invocation log,
 * wrangler's local trace store) is the platform's: docs/operations.md says what it keeps.
 */

/** Parameter names that carry a credential, whatever their value: the one list. */
const NAMES =
  "api[_-]?key|key|token|access[_-]?token|auth|authorization|bearer|secret|secret[_-]?key|client[_-]?secret|password|passwd|signature|sig";
export const CREDENTIAL_PARAMS = new RegExp(`^(?:${NAMES})$`, "i");

/** Values that are credentials whatever their parameter's name: Tranche's secret shapes. */
const CREDENTIAL_VALUE = /\b(?:sk_(?:test|live)|whsec)_/;

/** What a dropped value is replaced with: the parameter stays, so the refusal can name it. */
export const DROPPED = "[dropped]";

/** The names of the query parameters of `url` that carry a credential. */
export function credentialParams(url: URL): string[] {
  const names = [...url.searchParams].filter(
    ([name, value]) => CREDENTIAL_PARAMS.test(name) || CREDENTIAL_VALUE.test(value) || value === DROPPED,
  );
  return [...new Set(names.map(([name]) => name))];
}

/** The request with every credential in its query string replaced by DROPPED; itself if it has none. */
export function withoutQueryCredentials<R extends Request>(request: R): R {
  const url = new URL(request.url);
  const names = credentialParams(url);
  if (names.length === 0) return request;
  for (const name of names) url.searchParams.set(name, DROPPED);
  return new Request(url, request) as R;
}

/** In any text, the values of credential parameters after `?`, `&` or the start (a bare query string). */
export const CREDENTIAL_IN_QUERY = new RegExp(`((?:^|[?&;])(?:${NAMES})=)[^&#\\s"']*`, "gim");
