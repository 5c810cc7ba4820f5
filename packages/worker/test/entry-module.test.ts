// The runtime refuses to start a Worker whose main module exports anything but handlers and
// classes ("Incorrect type for map entry"), and the vitest pool does not: this test stands in for it.
import { describe, expect, it } from "vitest";
import * as main from "../src/index";

describe("the Worker's main module", () => {
  it("exports only its handlers and its Durable Object classes", () => {
    const { default: handlers, ...named } = main;
    expect(Object.keys(handlers).sort()).toEqual(["fetch", "queue", "scheduled"]);
    for (const [name, value] of Object.entries(named)) {
      expect(typeof value, name).toBe("function");
      expect(String(value), name).toMatch(/^class\b|^function\b/);
    }
    expect(Object.keys(named).sort()).toEqual([
      "CustomerObject",
      "EventStreamObject",
      "IdempotencyObject",
      "WebhookEndpointObject",
    ]);
  });
});
