import { describe, expect, it } from "vitest";
import {
  healthAction,
  MAX_ATTEMPTS,
  nextAttemptAt,
  nextHealthCheck,
  outcomeOf,
  payloadFor,
  RETRY_DELAYS_MS,
  retryAfterMs,
} from "../../src/webhooks/rules/schedule";

const H = 3_600_000;
const DAY = 24 * H;

describe("webhook delivery rules", () => {
  it("follows the schedule after each failed attempt, and stops after the tenth", () => {
    expect(RETRY_DELAYS_MS.map((d) => d / 1000)).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
    expect(nextAttemptAt(1, 1000)).toBe(6000);
    expect(nextAttemptAt(9, 0)).toBe(24 * H);
    expect(nextAttemptAt(MAX_ATTEMPTS, 0)).toBeNull();
  });

  it("takes a Retry-After only on 429 and 503, never sooner than the step nor later than 24 h", () => {
    expect(retryAfterMs(503, "120", 0)).toBe(120_000);
    expect(retryAfterMs(429, new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs(500, "120", 0)).toBeNull();
    expect(retryAfterMs(429, "soon", 0)).toBeNull();
    expect(nextAttemptAt(1, 0, 120_000)).toBe(120_000);
    expect(nextAttemptAt(2, 0, 1000)).toBe(RETRY_DELAYS_MS[2]);
    expect(nextAttemptAt(1, 0, 30 * DAY)).toBe(24 * H);
  });

  it("counts only 2xx as success; 410 as gone; redirects as failures", () => {
    expect([200, 204, 299, 301, 302, 400, 410, 500].map(outcomeOf)).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
      "failed",
      "failed",
      "failed",
      "gone",
      "failed",
    ]);
  });

  it("warns at four days of failures and disables at five", () => {
    expect(healthAction(null, false, 10 * DAY)).toBe("none");
    expect(healthAction(0, false, 4 * DAY - 1)).toBe("none");
    expect(healthAction(0, false, 4 * DAY)).toBe("warn");
    expect(healthAction(0, true, 4 * DAY)).toBe("none");
    expect(healthAction(0, false, 5 * DAY)).toBe("disable");
    expect([nextHealthCheck(0, false), nextHealthCheck(0, true), nextHealthCheck(null, false)]).toEqual([
      4 * DAY,
      5 * DAY,
      null,
    ]);
  });

  it("sends a body over 20 KB thin, whole JSON either way", () => {
    const event = { id: "evt_1", type: "installment.paid", created_at: "2026-01-01T00:00:00.000Z", data: { a: 1 } };
    expect(JSON.parse(payloadFor(event))).toEqual({ type: event.type, timestamp: event.created_at, data: { a: 1 } });
    const big = { ...event, data: { blob: "x".repeat(21 * 1024) } };
    expect(JSON.parse(payloadFor(big))).toEqual({
      type: event.type,
      timestamp: event.created_at,
      data: { id: "evt_1", truncated: true },
    });
  });
});
