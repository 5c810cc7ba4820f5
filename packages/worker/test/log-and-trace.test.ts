import { describe, expect, it } from "vitest";
import { createLogger, type Level, redact } from "../src/lib/log";
import { childTraceparent, formatTraceparent, parseTraceparent, startSpan } from "../src/lib/trace";

describe("the logger", () => {
  const capture = () => {
    const lines: [Level, string][] = [];
    return { lines, log: createLogger((level, line) => lines.push([level, line])) };
  };

  it("writes one JSON line per call, at its level, with the fields it was given and those of its context", () => {
    const { lines, log } = capture();
    const request = log.with({ request_id: "req_1", trace_id: "abc" });
    request.info("request", { status: 200 });
    request.error("unhandled error", { error: new TypeError("boom") });
    expect(lines.map(([level]) => level)).toEqual(["info", "error"]);
    expect(JSON.parse(lines[0]?.[1] ?? "")).toEqual({
      level: "info",
      msg: "request",
      request_id: "req_1",
      trace_id: "abc",
      status: 200,
    });
    expect(JSON.parse(lines[1]?.[1] ?? "").error).toMatchObject({ name: "TypeError", message: "boom" });
  });

  it("masks secrets by field name and by shape, however deep", () => {
    const byName = { authorization: "Bearer x", cookie: "c", secret: "s", api_key: "k", token: "t", password: "p" };
    expect(redact({ headers: byName })).toEqual({
      headers: Object.fromEntries(Object.keys(byName).map((name) => [name, "[redacted]"])),
    });
    expect(
      redact([
        "key sk_live_51Habc and sk_test_abc_123 failed; signed with whsec_QUJD+/= for tok_chargeDeclined",
        { note: "sent Bearer eyJhbGciOi.payload.sig, then retried" },
      ]),
    ).toEqual([
      "key [redacted] and [redacted] failed; signed with [redacted] for [redacted]",
      { note: "sent [redacted], then retried" },
    ]);
    const harmless = { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", idempotency_key: "pur_1:2:3000", amount: 3000 };
    expect(redact(harmless)).toEqual(harmless);
  });
});

describe("traceparent", () => {
  const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  it("is continued when valid, this server taking a span of its own", () => {
    expect(parseTraceparent(`00-${TRACE}-00f067aa0ba902b7-00`)).toEqual({
      traceId: TRACE,
      parentSpanId: "00f067aa0ba902b7",
      flags: "00",
    });
    // A later version may carry more fields; what version 00 defines is still read.
    expect(parseTraceparent(`01-${TRACE}-00f067aa0ba902b7-01-extra`)?.traceId).toBe(TRACE);
    const span = startSpan(`00-${TRACE}-00f067aa0ba902b7-01`, () => "b7ad6b7169203331");
    expect(formatTraceparent(span)).toBe(`00-${TRACE}-b7ad6b7169203331-01`);
  });

  it("is refused when malformed, and a new trace begins", () => {
    for (const bad of [
      undefined,
      "",
      "00-abc-def-01",
      `00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`,
      `00-${"0".repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE}-${"0".repeat(16)}-01`,
      `ff-${TRACE}-00f067aa0ba902b7-01`,
      `00-${TRACE}-00f067aa0ba902b7-01-extra`,
    ]) {
      expect(parseTraceparent(bad), String(bad)).toBeUndefined();
      const fresh = startSpan(bad);
      expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(fresh.traceId).not.toBe(TRACE);
      expect(fresh.parentSpanId).toBeUndefined();
    }
  });

  it("gives the processor a child span of the purchase's trace, and none to a purchase without one", () => {
    expect(childTraceparent(TRACE, () => "b7ad6b7169203331")).toBe(`00-${TRACE}-b7ad6b7169203331-01`);
    expect(childTraceparent("")).toBeUndefined();
  });
});
