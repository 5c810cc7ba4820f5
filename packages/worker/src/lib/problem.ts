import type { ErrorCode, Problem } from "@tranche/shared";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { AppEnv } from "../env";
import { ApiError, ERROR_CATALOG, type FieldError, type ProblemExtensions } from "./errors";
import { logger } from "./log";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemBody(
  code: ErrorCode,
  detail: string,
  requestId: string,
  errors?: FieldError[],
  extensions: ProblemExtensions = {},
): Problem {
  const info = ERROR_CATALOG[code];
  return {
    type: `/docs/errors#${code}`,
    title: info.title,
    status: info.status,
    detail,
    code,
    request_id: requestId,
    ...(errors ? { errors } : {}),
    ...extensions,
  };
}

/** `headers` adds to the problem's, e.g. a 429's Retry-After. */
export function problemResponse(c: Context<AppEnv>, error: ApiError, headers: Record<string, string> = {}): Response {
  const body = problemBody(error.code, error.detail, c.get("requestId") ?? "unknown", error.errors, error.extensions);
  headers = { ...headers, "Content-Type": PROBLEM_CONTENT_TYPE };
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

/**
 * Turns zod issues into one clear sentence and a list of {path, message}. An unknown query or path
 * parameter gets an entry of its own, named by it (Stripe's `parameter_unknown`); a body's unknown
 * fields one entry at the object that has them.
 */
export function validationError(error: ZodError, where: "body" | "query" | "path"): ApiError {
  const errors = error.issues.flatMap((issue) => {
    const path = issue.path.length ? issue.path.join(".") : where;
    if (issue.code !== "unrecognized_keys") return [{ path, message: messageOf(issue) }];
    if (where === "body") return [{ path, message: `unknown field(s): ${issue.keys.join(", ")}` }];
    return issue.keys.map((key) => ({ path: key, message: "unknown parameter" }));
  });
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return new ApiError("validation_error", `Invalid ${where}: ${detail}`, errors);
}

/** A record's invalid key says why in its own issues ("Invalid key in record" says nothing). */
function messageOf(issue: ZodError["issues"][number]): string {
  return issue.code === "invalid_key" ? issue.issues.map((i) => i.message).join("; ") : issue.message;
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ApiError) return problemResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) return problemResponse(c, fromHttpException(err));
  // Reported to Sentry by the request middleware, which sees it as `c.error`.
  (c.get("log") ?? logger).error("unhandled error", { error: err });
  return problemResponse(c, new ApiError("internal_error", "An unexpected error occurred."));
};

/** Hono's validators throw these: a body that is not JSON, or not sent as JSON (the media type gate, 415). */
function fromHttpException(err: HTTPException): ApiError {
  if (err.status === 415) {
    return new ApiError(
      "unsupported_media_type",
      "This route takes a JSON body: send it with `Content-Type: application/json`.",
    );
  }
  if (/json/i.test(err.message)) return new ApiError("malformed_json", "The request body is not valid JSON.");
  return new ApiError("validation_error", err.message, [{ path: "body", message: err.message }]);
}

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(c, new ApiError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
