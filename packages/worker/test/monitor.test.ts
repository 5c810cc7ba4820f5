import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DataPoint } from "../src/analytics/points";
import { storeTime } from "../src/analytics/queries";
import { localReader } from "../src/analytics/reader";
import worker from "../src/index";
import { createLogger } from "../src/lib/log";
import { PAGERDUTY_EVENTS_URL } from "../src/monitor/pagerduty";
import { type MonitorDeps, monitor } from "../src/monitor/run";
import { SWEEP_CRON } from "../src/sweep";
import { MERCHANT, storePoints } from "./analytics-fixtures";
import { shopper } from "./helpers";

const ROUTING_KEY = "R0UT1NG-KEY-0f3c9a";
const NOW = new Date("2026-03-01T12:00:00Z");

const request = (status: number): DataPoint => ({
  kind: "request",
  merchantId: MERCHANT,
  mode: "live",
  method: "GET",
  route: "/v1/purchases/:id",
  status,
  latencyMs: 20,
  traceId: "",
});

const lateAlarm: DataPoint = {
  kind: "alarm",
  merchantId: MERCHANT,
  mode: "live",
  object: "customer",
  lagMs: 20 * 60_000,
  traceId: "",
};

/** A minute before `now`: 5 server errors in 105 requests (4.8%), and one alarm run 20 minutes late. */
function trouble(now: Date) {
  const at = storeTime(Math.floor(now.getTime() / 1000) - 60);
  return storePoints(env.DB, [
    { at, weight: 100, point: request(200) },
    { at, weight: 5, point: request(500) },
    { at, weight: 1, point: lateAlarm },
  ]);
}

const FIRING = [
  { dedup_key: "error_rate", severity: "critical" },
  { dedup_key: "error_rate_6h", severity: "warning" },
  { dedup_key: "alarm_lag", severity: "critical" },
];

interface Sent {
  url: string;
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload: { summary: string; severity: string; source: string; custom_details: Record<string, unknown> };
}

/** The monitor with a recording PagerDuty that answers `status`, and the log lines it wrote. */
function harness(overrides: Partial<MonitorDeps> = {}, status = 202) {
  const sent: Sent[] = [];
  const lines: string[] = [];
  const deps: MonitorDeps = {
    reader: localReader(env.DB),
    db: env.DB,
    fetch: async (url, init) => {
      sent.push({ url, ...JSON.parse(String(init.body)) });
      return Response.json({ status: status === 202 ? "success" : "invalid event" }, { status });
    },
    now: () => NOW,
    log: createLogger((_level, line) => lines.push(line)),
    routingKey: ROUTING_KEY,
    source: "tranche-test",
    ...overrides,
  };
  return { deps, sent, lines };
}

const keys = (sent: Sent[], action: string) =>
  sent.filter((s) => s.event_action === action).map((s) => ({ dedup_key: s.dedup_key, severity: s.payload.severity }));

beforeEach(async () => {
  await env.DB.batch([env.DB.prepare("DELETE FROM analytics_local"), env.DB.prepare("DELETE FROM monitor_incidents")]);
});

describe("the monitor", () => {
  it("triggers each firing rule once, and resolves it once its points leave the window", async () => {
    await trouble(NOW);
    const first = harness();
    expect(await monitor(first.deps)).toMatchObject({ firing: 3, sent: 3, failed: 0 });
    expect(keys(first.sent, "trigger")).toEqual(FIRING);
    expect(first.sent[0]).toMatchObject({
      url: PAGERDUTY_EVENTS_URL,
      routing_key: ROUTING_KEY,
      payload: { source: "tranche-test", custom_details: { requests_1h: 105 } },
    });
    expect(first.sent[0]?.payload.summary).toMatch(/^error_rate: 5xx rate 4\.76% over 1 h \(105 requests\)/);

    // Still firing a minute later: PagerDuty already has the incidents, nothing is sent.
    const again = harness({ now: () => new Date(NOW.getTime() + 60_000) });
    expect(await monitor(again.deps)).toMatchObject({ firing: 3, sent: 0 });
    expect(again.sent).toEqual([]);

    // Seven hours on, every window is past the points: each open incident is resolved, once.
    const later = () => new Date(NOW.getTime() + 7 * 3_600_000);
    const cleared = harness({ now: later });
    expect(await monitor(cleared.deps)).toMatchObject({ firing: 0, sent: 3 });
    expect(keys(cleared.sent, "resolve")).toEqual(FIRING);
    const quiet = harness({ now: later });
    await monitor(quiet.deps);
    expect(quiet.sent).toEqual([]);
  });

  it("without a routing key, logs one line per firing rule and sends and remembers nothing", async () => {
    await trouble(NOW);
    const { deps, sent, lines } = harness({ routingKey: undefined });
    expect(await monitor(deps)).toMatchObject({ firing: 3, sent: 0, failed: 0 });
    expect(sent).toEqual([]);
    const firing = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "alert firing");
    expect(firing.map((l) => [l.rule, l.level])).toEqual([
      ["error_rate", "warn"],
      ["error_rate_6h", "warn"],
      ["alarm_lag", "warn"],
    ]);
    expect(await env.DB.prepare("SELECT * FROM monitor_incidents").all()).toMatchObject({ results: [] });
  });

  it("logs a refused event without its routing key, and sends the trigger again next run", async () => {
    await trouble(NOW);
    const refused = harness({}, 400);
    expect(await monitor(refused.deps)).toMatchObject({ firing: 3, sent: 0, failed: 3 });
    const errors = refused.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "alert rule failed");
    expect(errors.map((l) => l.error.message)).toEqual(Array(3).fill("PagerDuty answered 400 to a trigger"));
    expect(refused.lines.join("\n")).not.toContain(ROUTING_KEY);

    const retried = harness();
    await monitor(retried.deps);
    expect(keys(retried.sent, "trigger")).toEqual(FIRING);
  });
});

describe("the cron", () => {
  afterEach(() => vi.restoreAllMocks());

  it("runs the monitor every minute; PagerDuty unreachable is logged, not thrown", async () => {
    await trouble(new Date());
    const pagerDuty = vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Network connection lost."));
    const lines: string[] = [];
    for (const level of ["log", "warn", "error"] as const) {
      vi.spyOn(console, level).mockImplementation((line: string) => lines.push(line));
    }
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: "* * * * *" }),
      { ...env, PAGERDUTY_ROUTING_KEY: ROUTING_KEY },
      ctx,
    );
    await waitOnExecutionContext(ctx);

    expect(pagerDuty.mock.calls.map(([url]) => String(url))).toEqual(Array(3).fill(PAGERDUTY_EVENTS_URL));
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged.filter((l) => l.msg === "alert rule failed").map((l) => l.rule)).toEqual(
      FIRING.map((f) => f.dedup_key),
    );
    // The sweep has its own cron: not in this run.
    expect(logged.some((l) => l.msg === "sweep")).toBe(false);
    expect(lines.join("\n")).not.toContain(ROUTING_KEY);
  });

  it("runs the sweep alone every 15 minutes: a sweep that throws fails its run, and the monitor's runs still page", async () => {
    await shopper();
    await trouble(new Date());
    const pagerDuty = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(null, { status: 202 }));
    // Without the customer objects' binding, the sweep throws at its first customer; the monitor needs none.
    const broken = { ...env, CUSTOMERS: undefined as unknown as Env["CUSTOMERS"], PAGERDUTY_ROUTING_KEY: ROUTING_KEY };
    const sweepRun = worker.scheduled(
      createScheduledController({ cron: SWEEP_CRON }),
      broken,
      createExecutionContext(),
    );
    await expect(sweepRun).rejects.toThrow(TypeError);
    expect(pagerDuty).not.toHaveBeenCalled();
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), broken, createExecutionContext());
    expect(pagerDuty).toHaveBeenCalledTimes(3);
  });
});
