import { describe, expect, inject, it } from "vitest";
import { envFor, tranche, trancheRunning } from "./cli";
import { merchantKey } from "./worker";

const worker = { base: inject("base") };

describe("tranche logs tail", () => {
  it("shows a request made while tailing, with its status and request id, and filters by status", async () => {
    const key = await merchantKey(worker.base);
    const env = envFor(worker.base, key);
    const all = trancheRunning(["logs", "tail", "--json"], env);
    const failures = trancheRunning(["logs", "tail", "--status", "4xx", "--path-prefix", "/v1/customers"], env);
    await all.line(/"connected":true/);
    await failures.line(/^Ready/);

    const ok = await tranche(["customers", "list", "--json"], env);
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await fetch(`${worker.base}/v1/customers/cus_malformed`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    const requestId = refused.headers.get("Request-Id") as string;
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);

    const line = JSON.parse(await all.line(new RegExp(requestId))) as Record<string, unknown>;
    expect(line).toMatchObject({ method: "GET", path: "/v1/customers/cus_malformed", status: refused.status });
    await all.line(/"path":"\/v1\/customers","status":200/);
    expect(await failures.line(new RegExp(requestId))).toMatch(
      new RegExp(` GET +/v1/customers/cus_malformed {2}${refused.status} {2}\\d+ ms {2}req_`),
    );
    // The list answered 200: not a 4xx, so the filtered tail never shows it.
    expect(failures.lines.some((l) => / 200 /.test(l))).toBe(false);
    expect([...all.lines, ...failures.lines].join("\n")).not.toContain(key);
    await all.stop();
    await failures.stop();
  });

  it("refuses a status that is not one, with usage and exit code 2", async () => {
    const run = await tranche(["logs", "tail", "--status", "4x"], envFor(worker.base, "sk_test_unused"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error:|Usage:/);
  });
});
