import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import { type ErrorCode, ProblemSchema } from "@tranche/shared";
import { ERROR_CATALOG } from "../lib/errors";
import { PROBLEM_CONTENT_TYPE } from "../lib/problem";
import { CUSTOMER_COMMANDS } from "../middleware/idempotency";
import { issuesSecrets } from "../secrets/fields";

/**
 * The problems a route documents are generated from the catalogue the Worker answers with
 * (lib/errors.ts), so the document cannot drift from it: each route names the codes its own
 * handler can refuse with, `apiRoute` adds those its middleware and validators can answer, and
 * the codes are grouped by their catalogue status. The contract fuzz (test/contract) checks
 * every problem the Worker answers against the codes documented for the operation and status.
 */

/**
 * Every route behind a merchant's API key: middleware/auth.ts (a restricted key outside its scopes is a 403),
 * then the rate limiter (429 with Retry-After).
 */
const API_KEY_PROBLEMS: ErrorCode[] = [
  "authentication_required",
  "invalid_api_key",
  "livemode_unavailable",
  "permission_denied",
  "rate_limited",
];
/** The admin surface: a missing or wrong token, or a deployment without ADMIN_TOKEN, where it is a 404. */
const ADMIN_PROBLEMS: ErrorCode[] = ["authentication_required", "invalid_api_key", "not_found"];
/** middleware/idempotency.ts on every POST: a malformed key, or a key reused for another request. */
const IDEMPOTENCY_PROBLEMS: ErrorCode[] = ["validation_error", "idempotency_key_reused"];

export type ApiRouteConfig = RouteConfig & {
  /** The catalogue codes the handler itself may answer (business refusals), beyond the common ones. */
  problems?: readonly ErrorCode[];
};

/**
 * `createRoute`, with the route's problem responses documented per status from the catalogue, and its
 * query strict: a parameter the route does not name is a 400 (an empty strict object where the route
 * takes none), so a typo such as `custmer=` is refused rather than ignored, on every route.
 */
export function apiRoute<P extends string, R extends Omit<ApiRouteConfig, "path"> & { path: P }>(config: R) {
  const { problems = [], ...route } = config;
  const request = { ...route.request, query: strictQuery(route.request?.query) };
  const codes = [...commonProblems({ ...route, request }), ...problems];
  // The handler's types come from the route's own responses: problems are thrown, never returned.
  return createRoute({ ...route, request, responses: { ...route.responses, ...problemResponses(codes) } } as R);
}

type Query = NonNullable<RouteConfig["request"]>["query"];

function strictQuery(query: Query): Query {
  if (!query) return z.strictObject({});
  // Query schemas are objects (refined ones too: zod 4 keeps a refinement on the object it refines).
  if (!(query instanceof z.ZodObject)) throw new Error("a route's query schema must be a z.object");
  return query.strict();
}

/** What a route answers before its handler runs, from how it is called. */
function commonProblems(route: RouteConfig): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const security = route.security?.flatMap((s) => Object.keys(s));
  if (security?.includes("AdminToken")) codes.push(...ADMIN_PROBLEMS);
  else if (security?.length !== 0) codes.push(...API_KEY_PROBLEMS);
  const { params, query, body } = route.request ?? {};
  if (params || query || body) codes.push("validation_error");
  // Bodies: too large (any route), or not sent as JSON, or not JSON at all.
  if (body) codes.push("malformed_json", "payload_too_large", "unsupported_media_type");
  if (route.method === "post") codes.push(...IDEMPOTENCY_PROBLEMS);
  // A duplicate of a customer command waits for the first and gets its replay; other POSTs answer 409 meanwhile.
  if (route.method === "post" && !CUSTOMER_COMMANDS.test(route.path)) codes.push("idempotency_key_in_use");
  // A route that issues a secret, on a deployment with no SECRETS_KEY to store it with.
  if (issuesSecrets(route.method.toUpperCase(), route.path)) codes.push("secrets_unavailable");
  // Another merchant's id, or an unknown one, is a 404.
  if (route.path.includes("{")) codes.push("not_found");
  return codes;
}

/** One problem+json response per status, its `code` an enum of exactly the codes of that status. */
export function problemResponses(codes: readonly ErrorCode[]): RouteConfig["responses"] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const { status } = ERROR_CATALOG[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => {
      const [first, ...rest] = group.sort();
      const schema = ProblemSchema.extend({ status: z.literal(status), code: z.enum([first as ErrorCode, ...rest]) });
      return [
        status,
        {
          description: group.map((code) => `\`${code}\`: ${ERROR_CATALOG[code].help}`).join("\n\n"),
          ...(status === 429 ? { headers: RETRY_AFTER } : {}),
          content: { [PROBLEM_CONTENT_TYPE]: { schema } },
        },
      ];
    }),
  );
}

const RETRY_AFTER = {
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" as const, minimum: 0 } },
};
