import { type AnalyticsReader, analyticsReader } from "../analytics/reader";
import { type Logger, logger } from "../lib/log";
import { evaluate, type Verdict } from "./evaluate";
import { type Fetch, pagerDuty } from "./pagerduty";
import { RULES } from "./rules";

export interface MonitorDeps {
  reader: AnalyticsReader;
  /** Holds `monitor_incidents`: the rules with an open PagerDuty incident. */
  db: D1Database;
  fetch: Fetch;
  now: () => Date;
  log: Logger;
  /** Unset: rules are evaluated and firing ones logged, nothing is sent and nothing remembered. */
  routingKey: string | undefined;
  /** PagerDuty's `source`: `tranche-<ENVIRONMENT>`. */
  source: string;
}

export interface MonitorReport {
  rules: number;
  firing: number;
  /** Triggers and resolves PagerDuty accepted. */
  sent: number;
  /** Rules whose query or PagerDuty call failed; retried on the next run. */
  failed: number;
}

/**
 * Evaluates every alert rule and tells PagerDuty what changed: a trigger when a rule starts
 * firing, a resolve when one with an open incident clears. A rule still firing is not sent
 * again, so an incident someone resolved by hand stays resolved until the rule clears and
 * fires anew. A failed query or call is logged and retried next run; only D1 refusing to say which
 * incidents are open throws.
 */
export async function monitor(deps: MonitorDeps): Promise<MonitorReport> {
  const report: MonitorReport = { rules: RULES.length, firing: 0, sent: 0, failed: 0 };
  const open = deps.routingKey ? await openIncidents(deps.db) : new Set<string>();
  const send = deps.routingKey
    ? pagerDuty({ fetch: deps.fetch, routingKey: deps.routingKey, source: deps.source })
    : undefined;
  const now = deps.now();

  // One rule at a time: a Worker holds at most six outgoing connections open at once, so a dozen
  // Analytics Engine queries started together would mostly queue anyway.
  for (const rule of RULES) {
    try {
      const rows = [];
      for (const seconds of rule.windows) {
        rows.push(await deps.reader.run(rule.query, { from: new Date(now.getTime() - seconds * 1000), to: now }));
      }
      const verdict = evaluate(rule, rows);
      if (verdict.firing) {
        report.firing++;
        deps.log.warn("alert firing", {
          rule: rule.name,
          severity: rule.severity,
          summary: verdict.summary,
          details: verdict.details,
        });
      }
      if (!send || verdict.firing === open.has(rule.name)) continue;
      await send({ action: verdict.firing ? "trigger" : "resolve", rule: rule.name, severity: rule.severity, verdict });
      await remember(deps.db, rule.name, verdict, now);
      report.sent++;
    } catch (error) {
      report.failed++;
      deps.log.error("alert rule failed", { rule: rule.name, error });
    }
  }
  deps.log[report.failed ? "warn" : "info"]("monitor", { ...report, paging: Boolean(send) });
  return report;
}

async function openIncidents(db: D1Database): Promise<Set<string>> {
  const { results } = await db.prepare("SELECT rule FROM monitor_incidents").all<{ rule: string }>();
  return new Set(results.map((r) => r.rule));
}

/** After PagerDuty accepted the event, so a failed call is sent again next run. */
async function remember(db: D1Database, rule: string, verdict: Verdict, now: Date): Promise<void> {
  if (verdict.firing) {
    await db
      .prepare("INSERT INTO monitor_incidents (rule, triggered_at) VALUES (?, ?)")
      .bind(rule, now.toISOString())
      .run();
  } else {
    await db.prepare("DELETE FROM monitor_incidents WHERE rule = ?").bind(rule).run();
  }
}

/** The monitor as the cron runs it, from the Worker's bindings; a misconfigured analytics store is its failure alone. */
export async function runMonitor(env: Env, log: Logger = logger): Promise<MonitorReport> {
  return monitor({
    reader: analyticsReader(env),
    db: env.DB,
    // Looked up at call time, so the global fetch in force then is the one used.
    fetch: (url, init) => fetch(url, init),
    now: () => new Date(),
    log,
    routingKey: env.PAGERDUTY_ROUTING_KEY || undefined,
    source: `tranche-${env.ENVIRONMENT}`,
  });
}
