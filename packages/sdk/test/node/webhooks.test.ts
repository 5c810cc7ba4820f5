// tranche.webhooks.verify on deliveries signed by the spec's reference (the `standardwebhooks` package),
// received as a Node server and as a Worker receive them.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tranche, WebhookVerificationError } from "../../src";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OLD_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const PAYLOAD = {
  type: "installment.paid",
  timestamp: "2025-01-02T03:04:05.000Z",
  data: { id: "ins_1", amount: 3000 },
};
const BODY = JSON.stringify(PAYLOAD);
const tranche = new Tranche("sk_test_x");

/** A delivery as the reference signs it, `ageSeconds` ago (negative: in the future). */
function signed(body = BODY, ageSeconds = 0, secrets = [SECRET]) {
  const at = new Date(Date.now() - ageSeconds * 1000);
  const id = "msg_2b5P3yq0Vn";
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(id, at, body)).join(" "),
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as Error).message;
}

describe("webhooks.verify", () => {
  it("returns the payload of a delivery the reference signed, read as a Worker reads it", async () => {
    const request = new Request("https://merchant.example/webhooks", { method: "POST", body: BODY, headers: signed() });
    const event = await tranche.webhooks.verify<typeof PAYLOAD.data>(await request.text(), request.headers, SECRET);
    expect(event).toEqual(PAYLOAD);
    expect(event.data.amount).toBe(3000);
  });

  it("refuses a tampered body, a wrong secret, a stale or future timestamp, and a missing header", async () => {
    const headers = signed();
    expect(await refusal(tranche.webhooks.verify(BODY.replace("3000", "30"), headers, SECRET))).toMatch(/No signature/);
    expect(await refusal(tranche.webhooks.verify(BODY, headers, OLD_SECRET))).toMatch(/No signature/);
    expect(await refusal(tranche.webhooks.verify(BODY, signed(BODY, 301), SECRET))).toMatch(/old, beyond the 300 s/);
    expect(await refusal(tranche.webhooks.verify(BODY, signed(BODY, -301), SECRET))).toMatch(/in the future/);
    for (const name of Object.keys(headers)) {
      const { [name]: _, ...rest } = headers as Record<string, string>;
      expect(await refusal(tranche.webhooks.verify(BODY, rest, SECRET))).toBe(`The ${name} header is missing.`);
    }
  });

  it("takes a tolerance in seconds", async () => {
    await expect(tranche.webhooks.verify(BODY, signed(BODY, 600), SECRET, { toleranceSeconds: 900 })).resolves.toEqual(
      PAYLOAD,
    );
    expect(await refusal(tranche.webhooks.verify(BODY, signed(BODY, 60), SECRET, { toleranceSeconds: 30 }))).toMatch(
      /60 s old, beyond the 30 s tolerance/,
    );
  });

  it("verifies a delivery signed with both secrets during a rotation, with either", async () => {
    const headers = signed(BODY, 0, [SECRET, OLD_SECRET]);
    for (const secret of [SECRET, OLD_SECRET, [SECRET, OLD_SECRET]]) {
      await expect(tranche.webhooks.verify(BODY, headers, secret)).resolves.toEqual(PAYLOAD);
    }
  });

  it("refuses a parsed body with a TypeError", async () => {
    await expect(tranche.webhooks.verify(PAYLOAD as unknown as string, signed(), SECRET)).rejects.toThrow(TypeError);
  });
});

describe("a Node receiver reading the raw body", () => {
  // What express.raw() does: the bytes as they came, into a Buffer, with node's lower-cased headers.
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      tranche.webhooks.verify(Buffer.concat(chunks), req.headers, SECRET).then(
        (event) => res.writeHead(200).end(event.type),
        (error: Error) => res.writeHead(error instanceof WebhookVerificationError ? 400 : 500).end(error.message),
      );
    });
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("accepts the signed delivery and answers 400 to a tampered one", async () => {
    // Non-ASCII text: the signature covers the UTF-8 bytes, which the Buffer keeps as they came.
    const body = JSON.stringify({ ...PAYLOAD, data: { note: "Café – 3×" } });
    const ok = await fetch(url, { method: "POST", body, headers: signed(body) });
    expect([ok.status, await ok.text()]).toEqual([200, "installment.paid"]);

    const tampered = await fetch(url, { method: "POST", body: body.replace("3×", "4×"), headers: signed(body) });
    expect([tampered.status, await tampered.text()]).toEqual([
      400,
      "No signature in webhook-signature matches the secret.",
    ]);
  });
});
