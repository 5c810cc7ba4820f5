import type { Mode } from "../analytics/points";
import type { AnalyticsSink } from "../analytics/sink";
import type { Logger } from "../lib/log";

export interface AlarmRun {
  object: "customer" | "webhook_endpoint";
  merchantId: string | undefined;
  mode: Mode | undefined;
  traceId: string;
  /** Unix ms the run started. */
  startedAt: number;
  /** Unix ms of the earliest work the run found scheduled: what the alarm was set for, if anything. */
  dueAt: number | undefined;
  /** What ran, for the log line. */
  fields: Record<string, unknown>;
}

/**
 * One alarm run's log line and data point, with its lag: how long after its work fell due the run
 * started. A run with nothing due yet (a projection retry, a health check) lags 0. Alarms that lag
 * are charges collected late, so the lag is what the operations dashboards watch.
 */
export function reportAlarm(deps: { log: Logger; analytics: AnalyticsSink }, run: AlarmRun): void {
  const lagMs = run.dueAt === undefined ? 0 : Math.max(0, run.startedAt - run.dueAt);
  deps.log.info("alarm", {
    object: run.object,
    merchant_id: run.merchantId,
    trace_id: run.traceId,
    lag_ms: lagMs,
    ms: Date.now() - run.startedAt,
    ...run.fields,
  });
  deps.analytics.write({
    kind: "alarm",
    object: run.object,
    merchantId: run.merchantId,
    mode: run.mode,
    lagMs,
    traceId: run.traceId,
  });
}
