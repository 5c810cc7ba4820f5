import type { ApiKeyScope } from "@tranche/shared";

/** A customer's statement is a report (tag Reports), though it sits under the customer. */
const STATEMENT = /^\/v1\/customers\/[^/]+\/statement$/;

/** The paths each scope reads. Keys are managed with a secret key only, whatever the scope. */
const READS: Record<ApiKeyScope, (path: string) => boolean> = {
  "reports:read": (path) => path.startsWith("/v1/reports/") || STATEMENT.test(path),
  "analytics:read": (path) => path.startsWith("/v1/analytics/"),
  read_only: () => true,
};

/**
 * Whether a restricted key with `scopes` may make this request. Only reads: no scope can create,
 * change, charge or refund anything, nor see or manage the merchant's keys (a key that could roll
 * its secret sibling could take the merchant's money with the new one).
 */
export function permits(scopes: readonly ApiKeyScope[], method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (path === "/v1/keys" || path.startsWith("/v1/keys/")) return false;
  return scopes.some((scope) => READS[scope](path));
}
