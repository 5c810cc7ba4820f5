import { ApiError } from "../lib/errors";
import { logger } from "../lib/log";
import { AnalyticsEngineError, type EngineClient, engineClient } from "./engine-client";
import { normalise, type Query, type Reach, type Row } from "./queries";
import { renderEngine } from "./render-ae";
import { renderLocal } from "./render-local";
import { analyticsBackend } from "./sink";

/** Answers described queries from one store; every reader gives the same rows for the same points. */
export interface AnalyticsReader {
  run(query: Query, scope: Reach): Promise<Row[]>;
}

export function localReader(db: D1Database): AnalyticsReader {
  return {
    async run(query, scope) {
      const { sql, params } = renderLocal(query, scope);
      const { results } = await db
        .prepare(sql)
        .bind(...params)
        .all<Row>();
      return normalise(query, results);
    },
  };
}

export function engineReader(client: EngineClient): AnalyticsReader {
  return {
    async run(query, scope) {
      const rows = await client.query(renderEngine(query, scope));
      try {
        return normalise(query, rows);
      } catch (error) {
        throw new AnalyticsEngineError("malformed", `Analytics Engine's rows are unreadable: ${String(error)}`);
      }
    },
  };
}

/**
 * The configured reader. With Analytics Engine, its failures become 503 (try again later) or
 * 502 (it refused us) problems, never a 500; without its secrets, every query is a 503.
 */
export function analyticsReader(env: Env): AnalyticsReader {
  const config = analyticsBackend(env);
  if (!config.ok) throw new ApiError("analytics_unavailable", `Analytics are misconfigured: ${config.detail}`);
  if (config.backend === "local") return localReader(env.DB);
  if (!env.ANALYTICS_ACCOUNT_ID || !env.ANALYTICS_API_TOKEN) {
    throw new ApiError(
      "analytics_unavailable",
      "Analytics are not configured on this deployment: the ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN secrets are not set.",
    );
  }
  const reader = engineReader(
    engineClient({
      accountId: env.ANALYTICS_ACCOUNT_ID,
      apiToken: env.ANALYTICS_API_TOKEN,
      // Looked up at call time, so the global fetch in force then is the one used.
      fetch: (url, init) => fetch(url, init),
    }),
  );
  return {
    run: (query, scope) =>
      reader.run(query, scope).catch((error: unknown) => {
        if (!(error instanceof AnalyticsEngineError)) throw error;
        logger.warn("analytics engine query failed", { error: error.message });
        throw new ApiError(
          error.reason === "unavailable" ? "analytics_unavailable" : "analytics_query_failed",
          `The analytics store could not answer: ${error.message}`,
        );
      }),
  };
}
