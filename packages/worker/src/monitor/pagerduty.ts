import type { Severity, Verdict } from "./evaluate";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface AlertEvent {
  action: "trigger" | "resolve";
  rule: string;
  severity: Severity;
  verdict: Verdict;
}

/** A PagerDuty call that did not enqueue. Its message names the status only, never the request (it holds the routing key). */
export class PagerDutyError extends Error {}

/**
 * PagerDuty's Events API v2. The rule's name is the dedup_key, so a rule has one incident that
 * its trigger opens and its resolve closes. Page rules are `critical` and ticket rules `warning`,
 * which PagerDuty's event rules can route to the on-call and the low-urgency service.
 */
export function pagerDuty(deps: { fetch: Fetch; routingKey: string; source: string }) {
  return async function send(event: AlertEvent): Promise<void> {
    const body = {
      routing_key: deps.routingKey,
      event_action: event.action,
      dedup_key: event.rule,
      payload: {
        summary: `${event.rule}: ${event.verdict.summary}`,
        severity: event.severity === "page" ? "critical" : "warning",
        source: deps.source,
        custom_details: event.verdict.details,
      },
    };
    const response = await deps.fetch(PAGERDUTY_EVENTS_URL, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      // A hung PagerDuty must not hold the cron run that also sweeps.
      signal: AbortSignal.timeout(10_000),
    });
    // Drained so the connection is freed; PagerDuty answers 202 with a small JSON body.
    await response.body?.cancel();
    if (!response.ok) throw new PagerDutyError(`PagerDuty answered ${response.status} to a ${event.action}`);
  };
}
