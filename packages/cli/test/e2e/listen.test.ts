import { statSync } from "node:fs";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { envFor, tranche, trancheRunning } from "./cli";
import { receiver } from "./receiver";
import { merchantKey } from "./worker";

const worker = { base: inject("base") };

describe("tranche login", () => {
  it("stores the key in a 0600 file and never prints it whole", async () => {
    const key = await merchantKey(worker.base);
    const env = envFor(worker.base);
    const run = await tranche(["login"], env, `${key}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`sk_test_…${key.slice(-4)}`);
    expect(run.stdout + run.stderr).not.toContain(key);
    const file = join(env.TRANCHE_CONFIG_DIR as string, "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The stored key is used when none is given.
    const list = await tranche(["customers", "list", "--json"], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("refuses a key the API does not know, with exit code 3", async () => {
    const run = await tranche(["login", "--api-key", `sk_test_${"x".repeat(32)}`], envFor(worker.base));
    expect(run.code).toBe(3);
  });
});

describe("bad arguments", () => {
  it("print usage and exit 2", async () => {
    for (const args of [["bogus"], ["listen"], ["purchases", "list", "--limit", "0"], ["trigger", "purchase.nope"]]) {
      const run = await tranche(args, envFor(worker.base, "sk_test_unused"));
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(/error:|Usage:/);
    }
  });
});

describe("tranche listen", () => {
  it("forwards a triggered event, signed so standardwebhooks verifies it, and survives the receiver being down", async () => {
    const key = await merchantKey(worker.base);
    const env = envFor(worker.base, key);
    const local = await receiver();
    const listen = trancheRunning(["listen", "--forward-to", local.url, "--events", "purchase.created"], env);
    const secret = (await listen.line(/^Webhook signing secret: /)).split(": ")[1] as string;
    await listen.line(/^Ready/);

    const first = await tranche(["trigger", "purchase.created"], env);
    expect(first.code, first.stderr).toBe(0);
    await listen.line(/purchase\.created .* -> 204/);
    const [delivery] = local.received;
    const payload = new Webhook(secret).verify(delivery?.body as string, delivery?.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: "purchase.created" });

    // The receiver goes down: the failure is printed and the listener carries on.
    await local.down();
    const marker = listen.lines.length;
    expect((await tranche(["trigger", "purchase.created"], env)).code).toBe(0);
    await listen.line(/purchase\.created .* -> failed: ECONNREFUSED/, marker);
    await local.up();
    expect((await tranche(["trigger", "purchase.created"], env)).code).toBe(0);
    await listen.line(/purchase\.created .* -> 204/, marker);
    expect(local.received).toHaveLength(2);
    await listen.stop();
  });
});
