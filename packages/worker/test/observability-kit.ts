// What the observability tests share: the log lines the Worker and its objects write, captured in
// the test isolate (they run in it), and the analytics points the local store holds.
import { env } from "cloudflare:test";
import { afterEach, beforeEach, vi } from "vitest";

export type LogLine = Record<string, unknown> & { level: string; msg: string };

/** Every line written to the console during each test, raw; `parsed()` reads them as the JSON lines they must be. */
export function captureLogs() {
  const raw: string[] = [];
  beforeEach(() => {
    raw.length = 0;
    for (const method of ["log", "warn", "error", "info", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        raw.push(args.map(String).join(" "));
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return {
    raw,
    parsed: () => raw.map((line) => JSON.parse(line) as LogLine),
  };
}

/** The local analytics store's points of one kind, newest last, as the columns hold them. */
export async function points(kind: string, merchantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT index1, blob1, blob2, blob5, blob6, blob8, double1, double2 FROM analytics_local WHERE blob1 = ? AND index1 = ? ORDER BY rowid",
  )
    .bind(kind, merchantId)
    .all<Record<string, string | number>>();
  return results;
}

export const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
export const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
