import type { RequestLine } from "@tranche/shared";
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { formatLine, matches, methods, statuses } from "../../src/logs/lines";

const line = (over: Partial<RequestLine> = {}): RequestLine => ({
  at: "2026-12-08T03:10:12.345Z",
  method: "POST",
  path: "/v1/purchases",
  status: 402,
  ms: 12,
  request_id: "req_01JDQ8Z6W2N8X4C2V7B5K9M3PG",
  ...over,
});

describe("logs tail filters", () => {
  it("match statuses exactly or by class, methods in any case, and a path prefix", () => {
    expect(matches({ status: statuses("4xx") }, line())).toBe(true);
    expect(matches({ status: statuses("5xx,200") }, line())).toBe(false);
    expect(matches({ status: statuses("200") }, line({ status: 200 }))).toBe(true);
    expect(matches({ method: methods("get,post") }, line())).toBe(true);
    expect(matches({ method: methods("GET") }, line())).toBe(false);
    expect(matches({ pathPrefix: "/v1/purchases" }, line({ path: "/v1/purchases/pur_1/refunds" }))).toBe(true);
    expect(matches({ pathPrefix: "/v1/customers" }, line())).toBe(false);
    expect(matches({}, line())).toBe(true);
  });

  it("refuse a status that is not one, and an empty method list", () => {
    for (const bad of ["4x", "600", "abc", ","]) expect(() => statuses(bad)).toThrow(InvalidArgumentError);
    expect(() => methods(",")).toThrow(InvalidArgumentError);
  });

  it("print one line per request with its time, method, path, status, latency and id", () => {
    expect(formatLine(line())).toBe("03:10:12.345  POST   /v1/purchases  402  12 ms  req_01JDQ8Z6W2N8X4C2V7B5K9M3PG");
  });
});
