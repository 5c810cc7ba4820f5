// The webhook receivers docs/webhooks.md shows are the examples' own code, compiled by `pnpm typecheck`
// and run here on deliveries signed by the spec's reference (`standardwebhooks`): the Worker's as a
// function, the Node one as the process its README starts.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiveWebhook } from "../../../../examples/merchant-worker/src/webhooks";
import { Tranche } from "../../src";
import { page, region, root } from "./doc-regions";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY = JSON.stringify({ type: "installment.paid", timestamp: "2027-01-02T03:04:05.000Z", data: { id: "pur_1" } });

function signed(id: string, body = BODY) {
  const at = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(SECRET).sign(id, at, body),
  };
}

describe("the webhooks guide's receivers", () => {
  it.each(["examples/merchant-worker/src/webhooks.ts", "examples/node-checkout/webhook-receiver.ts"])(
    "are %s's receiver, word for word",
    (file) => {
      expect(page("docs/webhooks.md")).toContain(region(file, "receiver"));
    },
  );
});

describe("the Worker's receiver (examples/merchant-worker)", () => {
  it("handles a signed delivery once, skips its repeat, and answers 400 to a tampered one", async () => {
    const store = new Map<string, string>();
    const env = {
      TRANCHE_WEBHOOK_SECRET: SECRET,
      SEEN: {
        get: async (k: string) => store.get(k) ?? null,
        put: async (k: string, v: string) => void store.set(k, v),
      },
    };
    const tranche = new Tranche("sk_test_x");
    const post = (body: string, headers: Record<string, string>) =>
      receiveWebhook(
        new Request("https://shop.example/webhooks/tranche", { method: "POST", body, headers }),
        env,
        tranche,
      );

    expect((await post(BODY, signed("msg_1"))).status).toBe(204);
    expect([...store.keys()]).toEqual(["msg_1"]);
    expect((await post(BODY, signed("msg_1"))).status).toBe(204);
    expect((await post(BODY.replace("pur_1", "pur_2"), signed("msg_2"))).status).toBe(400);
    expect([...store.keys()]).toEqual(["msg_1"]);
  });
});

describe("the Node receiver (examples/node-checkout)", () => {
  const port = 43_000 + Math.floor(Math.random() * 1000);
  let child: ChildProcess;
  let output = "";

  beforeAll(async () => {
    child = spawn(join(root, "examples/node-checkout/node_modules/.bin/tsx"), ["webhook-receiver.ts"], {
      cwd: join(root, "examples/node-checkout"),
      env: { ...process.env, PORT: String(port), TRANCHE_WEBHOOK_SECRET: SECRET },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    for (let i = 0; i < 100 && !output.includes("listening"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(`listening on ${port}`);
  }, 20_000);

  afterAll(() => {
    child.kill();
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}/webhooks/tranche`, { method: "POST", body, headers });

  it("handles a signed delivery once, skips its repeat, and answers 400 to a tampered one", async () => {
    expect((await post(BODY, signed("msg_n1"))).status).toBe(204);
    expect((await post(BODY, signed("msg_n1"))).status).toBe(204);
    expect((await post(`${BODY} `, signed("msg_n2"))).status).toBe(400);
    expect(output.match(/^handled .*$/gm)).toEqual(["handled installment.paid msg_n1"]);
  });
});
