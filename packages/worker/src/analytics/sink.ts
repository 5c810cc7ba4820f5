import { logger } from "../lib/log";
import { type DataPoint, encode } from "./points";
import { storeTime } from "./queries";
import { LOCAL_TABLE } from "./render-local";

/** Where data points go. `write` never waits and never throws: analytics must not slow or break a payment. */
export interface AnalyticsSink {
  write(point: DataPoint): void;
}

/** Lets a write outlive the request or command that made it (an ExecutionContext or a DurableObjectState). */
export interface Lifetime {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Which store analytics use, from the ANALYTICS_BACKEND variable: "local" (wrangler.toml's
 * default, for `pnpm dev` and the tests) or "engine" (production: Analytics Engine). Unset
 * means "engine", so a deployment that drops the variable still writes where production reads.
 */
export function analyticsBackend(env: Env): { ok: true; backend: "engine" | "local" } | { ok: false; detail: string } {
  const configured: string | undefined = env.ANALYTICS_BACKEND;
  if (configured === undefined || configured === "engine") return { ok: true, backend: "engine" };
  if (configured === "local") return { ok: true, backend: "local" };
  return { ok: false, detail: `ANALYTICS_BACKEND is '${configured}'; set it to 'engine' or 'local'.` };
}

export function analyticsSink(env: Env, lifetime: Lifetime): AnalyticsSink {
  const config = analyticsBackend(env);
  if (config.ok && config.backend === "local") return localSink(env.DB, lifetime);
  // A misconfigured backend still writes to Analytics Engine, so production loses nothing meanwhile.
  return {
    write(point) {
      try {
        env.ANALYTICS?.writeDataPoint(encode(point));
      } catch (error) {
        // It refuses points over its limits by throwing; a charge must go on regardless.
        warn("analytics engine write failed", error);
      }
    },
  };
}

function warn(msg: string, error: unknown) {
  logger.warn(msg, { error: String(error) });
}

const INSERT = `INSERT INTO ${LOCAL_TABLE} (timestamp, _sample_interval, index1, blob1, blob2, blob3, blob4, blob5, blob6, blob7, blob8, double1, double2)
  VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The local store: one D1 row per point, stamped with the time of writing as Analytics Engine does. */
export function localSink(db: D1Database, lifetime: Lifetime): AnalyticsSink {
  return {
    write(point) {
      const { indexes, blobs, doubles } = encode(point);
      // In a promise from the start, so a binding that throws at once (D1 down) cannot throw here either.
      const written = Promise.resolve()
        .then(() =>
          db
            .prepare(INSERT)
            .bind(storeTime(Math.floor(Date.now() / 1000)), ...indexes, ...blobs, ...doubles)
            .run(),
        )
        .catch((error) => warn("local analytics write failed", error));
      lifetime.waitUntil(written);
    },
  };
}
